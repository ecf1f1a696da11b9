using System.Globalization;
using Video2TfRecord.Flow;

namespace Video2TfRecord.Sampling;

/// <summary>
/// What one video needs, decided from its frame count and timestamps alone: the stored entries, the source frames to
/// decode (in ascending order) and what each decoded frame is for, and which frames each entry's flow is between.
/// Pure data: made and tested without a video.
/// </summary>
/// <remarks>
/// Entries are the stored frames in order (N of them, or T with all frames); a source frame can back several entries
/// (a short video padded with its last frame, or fps sampling above the source rate). Each distinct stored frame has a
/// slot; with <see cref="FlowPairs.Next"/> the frame after each slot is decoded too, as its flow successor.
/// </remarks>
internal sealed class FramePlan
{
    private readonly int[] _indices;
    private readonly int[] _distinct;
    private readonly bool[] _repeated;
    private readonly int[] _decode;

    private FramePlan(int totalFrames, IReadOnlyList<long> timestampsUs, int[] indices, FlowPairs? flowPairs, string? shortfall)
    {
        TotalFrames = totalFrames;
        TimestampsUs = timestampsUs;
        FlowPairs = flowPairs;
        Shortfall = shortfall;
        _indices = indices;
        var distinct = new List<int>(indices.Length);
        var repeated = new List<bool>(indices.Length);
        foreach (var index in indices)
        {
            if (distinct.Count > 0 && distinct[^1] == index)
            {
                repeated[^1] = true;
            }
            else
            {
                distinct.Add(index);
                repeated.Add(false);
            }
        }

        _distinct = [.. distinct];
        _repeated = [.. repeated];
        if (flowPairs != Flow.FlowPairs.Next)
        {
            _decode = _distinct;
            return;
        }

        var decode = new SortedSet<int>(_distinct);
        foreach (var index in _distinct)
        {
            if (index + 1 < totalFrames)
            {
                decode.Add(index + 1);
            }
        }

        _decode = [.. decode];
    }

    /// <summary>T, the frame count the plan was made from.</summary>
    public int TotalFrames { get; }

    /// <summary>The presentation times (µs) the plan was made from.</summary>
    public IReadOnlyList<long> TimestampsUs { get; }

    /// <summary>Which frames flow is computed between, or null without flow.</summary>
    public FlowPairs? FlowPairs { get; }

    /// <summary>
    /// Why the video is not sampled, when it is shorter than asked and <see cref="ShortVideoPolicy"/> is skip or error
    /// (then there is nothing to decode); null otherwise.
    /// </summary>
    public string? Shortfall { get; }

    /// <summary>The source frame of each stored entry, ascending, repeats allowed.</summary>
    public IReadOnlyList<int> Indices => _indices;

    /// <summary>The distinct stored source frames, ascending: one slot each.</summary>
    public IReadOnlyList<int> Slots => _distinct;

    /// <summary>The source frames to decode, strictly ascending: every slot, and with next pairs each slot's successor.</summary>
    public ReadOnlySpan<int> Decode => _decode;

    /// <summary>Makes the plan for a video of <paramref name="totalFrames"/> frames at <paramref name="timestampsUs"/>.</summary>
    /// <param name="totalFrames">T, at least 1.</param>
    /// <param name="timestampsUs">Presentation time of every frame, ascending (fps sampling uses them).</param>
    /// <param name="sampling">Which frames to keep.</param>
    /// <param name="flowPairs">Which frames flow is between, or null without flow.</param>
    /// <param name="window">
    /// A clip's frames (<see cref="ClipWindow.Locate"/>), or null for the whole video: sampling then applies to those
    /// frames alone, as if they were the video, and the indices stay the video's.
    /// </param>
    public static FramePlan Create(int totalFrames, IReadOnlyList<long> timestampsUs, SamplingOptions sampling, FlowPairs? flowPairs = null,
        WindowFrames? window = null)
    {
        ArgumentNullException.ThrowIfNull(timestampsUs);
        ArgumentNullException.ThrowIfNull(sampling);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalFrames, 1);
        var (first, count) = window is null ? (0, totalFrames) : (window.First, window.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1, nameof(window));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first + count, totalFrames, nameof(window));
        IReadOnlyList<long> times = window is null ? timestampsUs : timestampsUs.Skip(first).Take(count).ToArray();
        var fps = sampling.Mode == SamplingMode.Fps;
        var available = fps ? FrameSampler.CountRateTargets(times, sampling.Fps!.Value) : count;
        if (sampling.Frames.Count is { } asked && available < asked && sampling.ShortVideo != ShortVideoPolicy.Pad)
        {
            var what = fps ? $"{available} frames at {sampling.Fps} fps" : $"{available} frames";
            var reason = string.Create(CultureInfo.InvariantCulture,
                $"the {(window is null ? "video" : "clip")} has {what}, fewer than the {asked} asked for (--short-video {OptionWord.Of(sampling.ShortVideo)})");
            return new FramePlan(totalFrames, timestampsUs, [], flowPairs, reason);
        }

        var indices = fps
            ? FrameSampler.SelectByRate(times, sampling.Fps!.Value, sampling.Frames)
            : FrameSampler.Select(count, sampling.Frames, sampling.Mode);
        for (var i = 0; i < indices.Length; i++)
        {
            indices[i] += first;
        }

        return new FramePlan(totalFrames, timestampsUs, indices, flowPairs, null);
    }

    /// <summary>
    /// How many entries <see cref="Create"/> would store for these counts, worked out without building anything: N, or
    /// with all frames the window's frames or fps targets. Checked against the record's bounds before a plan is made.
    /// </summary>
    public static long EntryCount(int totalFrames, IReadOnlyList<long> timestampsUs, SamplingOptions sampling, WindowFrames? window = null)
    {
        ArgumentNullException.ThrowIfNull(timestampsUs);
        ArgumentNullException.ThrowIfNull(sampling);
        if (sampling.Frames.Count is { } n)
        {
            return n;
        }

        var (first, count) = window is null ? (0, totalFrames) : (window.First, window.Count);
        return sampling.Mode == SamplingMode.Fps && count > 0
            ? FrameSampler.CountRateTargets(timestampsUs[first], timestampsUs[first + count - 1], sampling.Fps!.Value)
            : count;
    }

    /// <summary>
    /// Whether a decode that gave <paramref name="frameCount"/> frames at <paramref name="timestampsUs"/> confirms the
    /// counts this plan was made from; when it does not (a truncated file, or forecast times), plan again from the decode.
    /// </summary>
    /// <param name="frameCount">Frames the decode returned.</param>
    /// <param name="timestampsUs">Their presentation times.</param>
    /// <param name="fpsSampling">Whether the plan chose by time, so the times have to agree as well as the count.</param>
    public bool Agrees(int frameCount, IReadOnlyList<long> timestampsUs, bool fpsSampling)
    {
        ArgumentNullException.ThrowIfNull(timestampsUs);
        return frameCount == TotalFrames && (!fpsSampling || timestampsUs.SequenceEqual(TimestampsUs));
    }

    /// <summary>The slot of the source frame at entry <paramref name="entry"/>.</summary>
    public int SlotOf(int entry) => Array.BinarySearch(_distinct, _indices[entry]);

    /// <summary>Whether the frame of slot <paramref name="slot"/> backs more than one entry.</summary>
    public bool IsRepeated(int slot) => _repeated[slot];

    /// <summary>Whether entry <paramref name="entry"/> repeats the entry before it (same source frame).</summary>
    public bool IsRepeat(int entry) => entry > 0 && _indices[entry] == _indices[entry - 1];

    /// <summary>
    /// The source frames the flow of entry <paramref name="entry"/> is computed between (from, to), or null for zero
    /// flow: with next pairs the frame and its successor (none after the last frame); with stored pairs the previous
    /// stored frame and this one (none for entry 0 or a repeat, which has not moved).
    /// </summary>
    /// <exception cref="InvalidOperationException">The plan has no flow.</exception>
    public (int From, int To)? FlowOf(int entry)
    {
        var index = _indices[entry];
        return FlowPairs switch
        {
            Flow.FlowPairs.Next => index + 1 < TotalFrames ? (index, index + 1) : null,
            Flow.FlowPairs.Stored => entry > 0 && _indices[entry - 1] != index ? (_indices[entry - 1], index) : null,
            _ => throw new InvalidOperationException("The plan was made without flow."),
        };
    }
}
