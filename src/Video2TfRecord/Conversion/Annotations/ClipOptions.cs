using System.Globalization;
using Video2TfRecord.Options;

namespace Video2TfRecord.Conversion.Annotations;

/// <summary>
/// Which parts of the videos become records: whole videos (the default), the rows of a clips CSV (<c>--clips</c>), or
/// fixed windows over every video (<c>--clip-length</c>, <c>--clip-stride</c>); and which column names the splits.
/// </summary>
public sealed record ClipOptions
{
    /// <summary>One record per video.</summary>
    public static ClipOptions None { get; } = new();

    /// <summary>
    /// A CSV with one clip per row: video (<c>path|video|video_path|file|filename|video_id|youtube_id</c>), start
    /// (<c>start|time_start|start_time|start_sec</c>), optional end (<c>end|time_end|end_time|end_sec</c>), and optional
    /// <c>label</c>, <c>caption</c>, <c>split</c> columns; times in seconds, the end exclusive.
    /// </summary>
    public string? File { get; init; }

    /// <summary>Seconds per window when every video is cut into fixed windows.</summary>
    public decimal? Length { get; init; }

    /// <summary>Seconds from one window's start to the next's; <see cref="Length"/> when not given.</summary>
    public decimal? Stride { get; init; }

    /// <summary>
    /// The column of the clips CSV (or, without one, of the labels CSV) that names each record's split; null for a
    /// column named <c>split</c> when there is one.
    /// </summary>
    public string? SplitColumn { get; init; }

    /// <summary>Whether records are clips rather than whole videos.</summary>
    public bool Enabled => File is not null || Length is not null;

    /// <summary>The smallest window: clip ids count milliseconds, so shorter windows could share one.</summary>
    public const decimal MinimumSeconds = 0.001m;

    /// <summary>The longest window or stride: about 11.6 days, far beyond any video, and far inside what µs can count.</summary>
    public const decimal MaximumSeconds = 1_000_000m;

    /// <summary>The seconds <c>--clip-length</c> and <c>--clip-stride</c> take.</summary>
    public static NumberRange SecondsRange { get; } = new(MinimumSeconds, MaximumSeconds, Whole: false, "seconds");

    /// <summary>Checks the values and that one way of cutting is given.</summary>
    /// <exception cref="OptionException">A value or a combination is not allowed.</exception>
    public void Validate()
    {
        if (File is not null && Length is not null)
        {
            throw new OptionException("clips", "--clips and --clip-length contradict each other: give one");
        }

        if (Stride is not null && Length is null)
        {
            throw new OptionException("clip-stride", "--clip-stride needs --clip-length");
        }

        if (Length is { } length)
        {
            SecondsRange.Check("clip-length", length);
        }

        if (Stride is { } stride)
        {
            SecondsRange.Check("clip-stride", stride);
        }
    }

    /// <summary>The values that shape the output, by option name.</summary>
    /// <param name="csvSha256">The SHA-256 of the clips CSV's bytes as the run read it (with <see cref="File"/>).</param>
    public IEnumerable<KeyValuePair<string, string>> Describe(string? csvSha256)
    {
        yield return new("clips", File is null ? "none" : "csv sha256 " + csvSha256);
        yield return new("clip-length", Length?.ToString(CultureInfo.InvariantCulture) ?? "");
        yield return new("clip-stride", Length is null ? "" : (Stride ?? Length)?.ToString(CultureInfo.InvariantCulture) ?? "");
        yield return new("split-column", SplitColumn ?? "");
    }
}
