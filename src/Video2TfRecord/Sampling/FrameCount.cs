using System.Globalization;
using Video2TfRecord.Options;

namespace Video2TfRecord.Sampling;

/// <summary>How many frames to keep per video: a positive number, or every frame (<c>all</c>).</summary>
public readonly record struct FrameCount
{
    private FrameCount(int? count) => Count = count;

    /// <summary>The numbers <c>--frames</c> takes besides <c>all</c>.</summary>
    public static NumberRange Range { get; } = new(1, SamplingOptions.MaxFrames, Whole: true);

    /// <summary>Every frame of the video.</summary>
    public static FrameCount All { get; } = new(null);

    /// <summary>The number of frames to keep, or <see langword="null"/> for all of them.</summary>
    public int? Count { get; }

    /// <summary>Whether every frame is kept.</summary>
    public bool IsAll => Count is null;

    /// <summary>A fixed number of frames, at least 1.</summary>
    public static FrameCount Of(int count) => count >= 1
        ? new FrameCount(count)
        : throw new OptionException("frames", string.Create(CultureInfo.InvariantCulture, $"--frames: expected {Range.Description} or 'all', got {count}"));

    /// <summary>Parses <c>32</c> or <c>all</c>.</summary>
    /// <exception cref="OptionException">The text is neither.</exception>
    public static FrameCount Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.Equals(text, "all", StringComparison.OrdinalIgnoreCase))
        {
            return All;
        }

        return NumberRange.TryRead(text, out var count) && Range.Contains(count)
            ? new FrameCount((int)count)
            : throw new OptionException("frames", $"--frames: expected {Range.Description} or 'all', got '{text}'");
    }

    /// <inheritdoc />
    public override string ToString() => Count?.ToString(CultureInfo.InvariantCulture) ?? "all";
}
