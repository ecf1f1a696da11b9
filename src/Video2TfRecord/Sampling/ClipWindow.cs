using System.Globalization;

namespace Video2TfRecord.Sampling;

/// <summary>
/// A time window of a video, [<see cref="StartUs"/>, <see cref="EndUs"/>) in µs on the video's own clock (0 = its first
/// frame), as a clips CSV row or <c>--clip-length</c> gives it. Pure data: where it falls is decided by <see cref="Locate"/>.
/// </summary>
/// <param name="StartUs">Start of the window, inclusive, at least 0.</param>
/// <param name="EndUs">End of the window, exclusive, greater than the start; null for the end of the video.</param>
internal readonly record struct ClipWindow(long StartUs, long? EndUs)
{
    /// <summary>
    /// The frames whose presentation time lies in the window: a window that reaches past the video's end is clipped to
    /// it (with a note); one that starts at or after the end, or holds no frame's time, has none (with the reason).
    /// </summary>
    /// <param name="timestampsUs">Presentation time of every frame, µs from the first, ascending.</param>
    /// <param name="durationUs">The video's duration: its last frame's time plus one frame period.</param>
    public WindowFrames Locate(IReadOnlyList<long> timestampsUs, long durationUs)
    {
        ArgumentNullException.ThrowIfNull(timestampsUs);
        var end = EndUs ?? durationUs;
        if (StartUs >= durationUs)
        {
            return WindowFrames.Empty(string.Create(CultureInfo.InvariantCulture,
                $"the clip {Describe(StartUs, EndUs)} starts at or after the video's end at {Seconds(durationUs)} s"));
        }

        string? note = null;
        if (end > durationUs)
        {
            note = string.Create(CultureInfo.InvariantCulture,
                $"the clip {Describe(StartUs, end)} ends after the video's end at {Seconds(durationUs)} s: clipped to {Describe(StartUs, durationUs)}");
            end = durationUs;
        }

        var first = LowerBound(timestampsUs, StartUs);
        var count = LowerBound(timestampsUs, end) - first;
        if (count == 0)
        {
            return WindowFrames.Empty(string.Create(CultureInfo.InvariantCulture,
                $"no frame's presentation time lies in the clip {Describe(StartUs, end)}: it is shorter than one frame"));
        }

        return new WindowFrames(first, count, StartUs, end, note, null);
    }

    /// <summary>
    /// Fixed windows over a video (the constant-clips sampler of PyTorchVideo and DALI): [k·stride, k·stride + length)
    /// for every k whose window ends by the video's end, then, when the video goes on past the start of the next one,
    /// that window cut at the end, flagged partial.
    /// </summary>
    /// <param name="durationUs">The video's duration, µs.</param>
    /// <param name="lengthUs">Window length, µs, at least 1.</param>
    /// <param name="strideUs">From one window's start to the next's, µs, at least 1.</param>
    public static IEnumerable<(ClipWindow Window, bool Partial)> Fixed(long durationUs, long lengthUs, long strideUs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lengthUs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(strideUs, 1);
        var start = 0L;
        for (; start + lengthUs <= durationUs; start += strideUs)
        {
            yield return (new ClipWindow(start, start + lengthUs), false);
        }

        if (start < durationUs)
        {
            yield return (new ClipWindow(start, durationUs), true);
        }
    }

    /// <summary><c>[1.5 s, 4 s)</c>, or <c>[1.5 s, end)</c> without an end.</summary>
    public static string Describe(long startUs, long? endUs) =>
        $"[{Seconds(startUs)} s, {(endUs is { } e ? Seconds(e) + " s" : "end")})";

    /// <summary>µs as seconds with up to 6 decimals, invariant (<c>1.5</c>).</summary>
    public static string Seconds(long us) => (us / 1_000_000m).ToString("0.######", CultureInfo.InvariantCulture);

    // The first position whose time is at least `us` (the count when none is).
    private static int LowerBound(IReadOnlyList<long> timestampsUs, long us)
    {
        var (low, high) = (0, timestampsUs.Count);
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (timestampsUs[middle] < us)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}

/// <summary>Where a <see cref="ClipWindow"/> falls in one video.</summary>
/// <param name="First">The first frame in the window.</param>
/// <param name="Count">Frames in the window; 0 when none is (then <see cref="Reason"/> says why).</param>
/// <param name="StartUs">The window's start, µs.</param>
/// <param name="EndUs">The window's end after clipping to the video, µs, exclusive.</param>
/// <param name="Note">Why the window was clipped, or null.</param>
/// <param name="Reason">Why the window holds no frame, or null.</param>
internal sealed record WindowFrames(int First, int Count, long StartUs, long EndUs, string? Note, string? Reason)
{
    internal static WindowFrames Empty(string reason) => new(0, 0, 0, 0, null, reason);
}
