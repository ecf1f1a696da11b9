using System.Globalization;
using Video2TfRecord.Sampling;

namespace Video2TfRecord.Conversion.Annotations;

/// <summary>One clip of a video to convert: a row of a clips CSV, or one window of <c>--clip-length</c>.</summary>
/// <param name="Window">Its time window on the video's clock.</param>
internal sealed record ClipSpec(ClipWindow Window)
{
    /// <summary>The clips CSV line the clip comes from, or null for a <c>--clip-length</c> window.</summary>
    public long? Line { get; init; }

    /// <summary>The label the row gives it, or null.</summary>
    public string? Label { get; init; }

    /// <summary>The caption the row gives it, or null.</summary>
    public string? Caption { get; init; }

    /// <summary>
    /// The id of clip <paramref name="window"/> of video <paramref name="videoId"/>: <c>{video id}_{start ms}_{end ms}</c>
    /// with at least 6 digits each, ms rounded half to even, and <c>end</c> for a window open to the video's end
    /// (<c>a/b_001500_004000</c>, <c>a/b_001500_end</c>).
    /// </summary>
    public static string Id(string videoId, ClipWindow window)
    {
        ArgumentNullException.ThrowIfNull(videoId);
        var end = window.EndUs is { } e ? Milliseconds(e) : "end";
        return $"{videoId}_{Milliseconds(window.StartUs)}_{end}";
    }

    private static string Milliseconds(long us) =>
        ((long)Math.Round(us / 1000m, MidpointRounding.ToEven)).ToString("D6", CultureInfo.InvariantCulture);
}
