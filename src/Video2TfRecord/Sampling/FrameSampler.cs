namespace Video2TfRecord.Sampling;

/// <summary>Chooses source frame indices from the true frame count, in exact integer arithmetic.</summary>
public static class FrameSampler
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
                SamplingMode.Centered => (int)((2L * i + 1) * t / (2L * n)),
                SamplingMode.Linspace => n == 1 ? 0 : (int)RoundHalfToEven(i * (t - 1), n - 1),
                SamplingMode.Seed => (int)(i * (t / n)),
                _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown sampling mode."),
            };
        }

        return indices;
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
