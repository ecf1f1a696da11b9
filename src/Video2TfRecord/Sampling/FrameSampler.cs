namespace Video2TfRecord.Sampling;

/// <summary>Chooses source frame indices from the true frame count, in exact integer arithmetic.</summary>
internal static class FrameSampler
{
    /// <summary>
    /// The source indices to store, in order (length N, or T for <see cref="FrameCount.All"/>). When T &lt; N the
    /// result is 0..T−1 followed by T−1 repeated (the caller applies <see cref="ShortVideoPolicy"/> before this).
    /// </summary>
    /// <param name="totalFrames">T, the number of frames the video decodes to; at least 1.</param>
    /// <param name="frames">N, or all.</param>
    /// <param name="mode">The spacing formula used when T ≥ N.</param>
    public static int[] Select(int totalFrames, FrameCount frames, SamplingMode mode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalFrames, 1);
        var n = frames.Count ?? totalFrames;
        var indices = new int[n];
        if (totalFrames < n)
        {
            for (var i = 0; i < n; i++)
            {
                indices[i] = Math.Min(i, totalFrames - 1);
            }

            return indices;
        }

        long t = totalFrames;
        for (var i = 0; i < n; i++)
        {
            indices[i] = mode switch
            {
                SamplingMode.Fps => throw new ArgumentException("Fps sampling needs timestamps: use SelectByRate.", nameof(mode)),
                SamplingMode.Centered => (int)((2L * i + 1) * t / (2L * n)),
                SamplingMode.Linspace => n == 1 ? 0 : (int)RoundHalfToEven(i * (t - 1), n - 1),
                SamplingMode.Seed => (int)(i * (t / n)),
                _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown sampling mode."),
            };
        }

        return indices;
    }

    /// <summary>
    /// Fps sampling: one target every 1/<paramref name="fps"/> s from the first frame's time up to the last frame's,
    /// each taking the frame with the greatest timestamp ≤ the target (so a higher rate than the source repeats
    /// frames). With N frames the centered window of N consecutive targets is kept; with fewer targets than N the
    /// result is padded with the last one, like <see cref="Select"/>.
    /// </summary>
    /// <param name="timestampsUs">Presentation time of every frame in µs, ascending.</param>
    /// <param name="fps">Target rate, frames per second, greater than 0.</param>
    /// <param name="frames">N, or all targets.</param>
    public static int[] SelectByRate(IReadOnlyList<long> timestampsUs, decimal fps, FrameCount frames)
    {
        ArgumentNullException.ThrowIfNull(timestampsUs);
        ArgumentOutOfRangeException.ThrowIfZero(timestampsUs.Count);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(fps, 0m);
        var targets = new List<int>();
        var first = timestampsUs[0];
        var last = timestampsUs[^1];
        var frame = 0;
        for (var k = 0L; ; k++)
        {
            // Exact decimal arithmetic: 29.97 fps targets land on the same frames on every machine.
            var target = first + (k * 1_000_000m / fps);
            if (target > last)
            {
                break;
            }

            while (frame + 1 < timestampsUs.Count && timestampsUs[frame + 1] <= target)
            {
                frame++;
            }

            targets.Add(frame);
        }

        var n = frames.Count ?? targets.Count;
        var indices = new int[n];
        var start = Math.Max(0, (targets.Count - n) / 2);
        for (var i = 0; i < n; i++)
        {
            indices[i] = targets[Math.Min(start + i, targets.Count - 1)];
        }

        return indices;
    }

    /// <summary>How many fps targets a video has (see <see cref="SelectByRate"/>).</summary>
    public static long CountRateTargets(IReadOnlyList<long> timestampsUs, decimal fps)
    {
        ArgumentNullException.ThrowIfNull(timestampsUs);
        ArgumentOutOfRangeException.ThrowIfZero(timestampsUs.Count);
        return CountRateTargets(timestampsUs[0], timestampsUs[^1], fps);
    }

    /// <summary>How many fps targets lie from <paramref name="firstUs"/> to <paramref name="lastUs"/> (see <see cref="SelectByRate"/>).</summary>
    public static long CountRateTargets(long firstUs, long lastUs, decimal fps)
    {
        // fps is at most SamplingOptions.FpsRange's 10^6, so the product stays far inside decimal's 7.9·10^28.
        return (long)decimal.Floor((lastUs - firstUs) * fps / 1_000_000m) + 1;
    }

    /// <summary>Whether the video is shorter than what is asked for.</summary>
    public static bool IsShort(int totalFrames, FrameCount frames) => frames.Count is { } n && totalFrames < n;

    private static long RoundHalfToEven(long numerator, long denominator)
    {
        var quotient = numerator / denominator;
        var twiceRemainder = 2 * (numerator % denominator);
        if (twiceRemainder > denominator || (twiceRemainder == denominator && (quotient & 1) == 1))
        {
            quotient++;
        }

        return quotient;
    }
}
