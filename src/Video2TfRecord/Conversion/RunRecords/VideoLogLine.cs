using System.Text.Json;
using System.Text.Json.Serialization;

namespace Video2TfRecord.Conversion.RunRecords;

/// <summary>
/// One line of videos.jsonl: one catalogued video, what happened to it and where its record is. Written by the run,
/// read by <c>--resume</c>, <c>inspect</c> and <c>merge-manifests</c> through <see cref="VideoLogJson"/>; the keys are the
/// property names in snake_case, in this order (docs/format.md).
/// </summary>
internal sealed record VideoLogLine
{
    /// <summary>The video id (relative path without extension), or the clip's id.</summary>
    public required string Id { get; init; }

    /// <summary>The relative path.</summary>
    public required string Path { get; init; }

    /// <summary>The absolute path the video was read from.</summary>
    public required string Source { get; init; }

    /// <summary><c>ok</c>, <c>skipped</c> or <c>failed</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Why the video was not written, or null.</summary>
    public required string? Reason { get; init; }

    /// <summary>The label index, or null.</summary>
    public required long? LabelIndex { get; init; }

    /// <summary>The label text, or null.</summary>
    public required string? LabelText { get; init; }

    /// <summary>The true frame count (what decodes), or null when the video was not read.</summary>
    public required int? FrameCount { get; init; }

    /// <summary>The frame count the container header claims, or null.</summary>
    public required int? HeaderFrameCount { get; init; }

    /// <summary>The frame rate the container reports (6 decimals), or null.</summary>
    public required double? Fps { get; init; }

    /// <summary>The video's duration in µs, or null.</summary>
    public required long? DurationUs { get; init; }

    /// <summary>The stored source frame indices (empty when not written).</summary>
    public required IReadOnlyList<int> Indices { get; init; }

    /// <summary>The stored frames' timestamps in µs.</summary>
    public required IReadOnlyList<long> TimestampsUs { get; init; }

    /// <summary>The shard the video belongs to (written or not).</summary>
    public required int Shard { get; init; }

    /// <summary>The record file holding the video, or null when not written.</summary>
    public required string? File { get; init; }

    /// <summary>The record's number in that file, or null.</summary>
    public required long? Record { get; init; }

    // The keys below are left out when null (a whole video has no clip keys); readers treat a missing key as null.

    /// <summary>For a clip: the id of the video it is cut from; null for a whole video.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SourceId { get; init; }

    /// <summary>For a clip of a clips CSV: the CSV line it comes from.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ClipRow { get; init; }

    /// <summary>For a clip: its window's start, µs on the video's clock.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ClipStartUs { get; init; }

    /// <summary>For a clip: its window's end (exclusive, after clipping to the video when it was read), µs; null for an open end not read.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ClipEndUs { get; init; }

    /// <summary>The caption, or null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Caption { get; init; }

    /// <summary>The split the record belongs to, or null when the run has no splits.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Split { get; init; }

    /// <summary>Audio sample frames stored (per channel), or null without audio.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? AudioSamples { get; init; }

    /// <summary>What a user should know about this entry (a clipped window, a truncated stream, no audio stream).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The status as the enum.</summary>
    [JsonIgnore]
    public VideoStatus StatusValue => Enum.Parse<VideoStatus>(Status, ignoreCase: true);

    /// <summary>Parses one line.</summary>
    /// <exception cref="JsonException">The line is not a whole video line (cut off, or another file's).</exception>
    public static VideoLogLine Parse(string line) =>
        JsonSerializer.Deserialize(line, VideoLogJson.Default.VideoLogLine) ?? throw new JsonException("the line is null");
}

/// <summary>The source-generated JSON form of <see cref="VideoLogLine"/>: snake_case keys, nulls written.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(VideoLogLine))]
internal sealed partial class VideoLogJson : JsonSerializerContext;
