using Video2TfRecord.Audio;
using Video2TfRecord.Frames;

namespace Video2TfRecord.Records;

/// <summary>Everything one record holds about one video: its stored frames and the metadata to check them.</summary>
internal sealed record VideoRecord
{
    /// <summary>Stable id: the relative path without its extension, with <c>/</c> separators; for a clip, the clip's id.</summary>
    public required string Id { get; init; }

    /// <summary>For a clip: the id of the video it is cut from; null for a whole video.</summary>
    public string? SourceId { get; init; }

    /// <summary>For a clip: its window on the video's clock, µs, the end exclusive (clipped to the video); null for a whole video.</summary>
    public (long StartUs, long EndUs)? Clip { get; init; }

    /// <summary>The caption, when the annotations give one.</summary>
    public string? Caption { get; init; }

    /// <summary>The audio of the record's time span, when asked for and the video has an audio stream.</summary>
    public AudioTrack? Audio { get; init; }

    /// <summary>The relative path with <c>/</c> separators.</summary>
    public required string Path { get; init; }

    /// <summary>The true number of frames the video decodes to.</summary>
    public required int FrameCount { get; init; }

    /// <summary>Frame rate the container reports (0 when it reports none).</summary>
    public required double Fps { get; init; }

    /// <summary>Source frame index of each stored frame (repeats when a short video was padded).</summary>
    public required IReadOnlyList<int> FrameIndices { get; init; }

    /// <summary>Presentation time of each stored frame, µs from the video's first frame.</summary>
    public required IReadOnlyList<long> TimestampsUs { get; init; }

    /// <summary>The encoded stored frames, one per entry of <see cref="FrameIndices"/>.</summary>
    public required IReadOnlyList<ReadOnlyMemory<byte>> Images { get; init; }

    /// <summary>Height of every stored frame in pixels.</summary>
    public required int Height { get; init; }

    /// <summary>Width of every stored frame in pixels.</summary>
    public required int Width { get; init; }

    /// <summary>Channels of every stored frame (1 or 3; one more with flow as the 4th channel).</summary>
    public required int Channels { get; init; }

    /// <summary>How the frames are encoded (never <see cref="ImageEncoding.Auto"/>).</summary>
    public required ImageEncoding Encoding { get; init; }

    /// <summary>Sample type of the frames.</summary>
    public required PixelType PixelType { get; init; }

    /// <summary>Channel meaning of the frames.</summary>
    public required ColorMode Color { get; init; }

    /// <summary>The optical flow, when asked for.</summary>
    public FlowImages? Flow { get; init; }

    /// <summary>The label index, when labels were given.</summary>
    public int? LabelIndex { get; init; }

    /// <summary>The label text, when labels were given.</summary>
    public string? LabelText { get; init; }
}
