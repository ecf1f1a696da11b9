namespace Video2TfRecord.Video;

/// <summary>What a full sequential decode found.</summary>
/// <param name="FrameCount">Frames the stream decoded to: the video's true frame count T.</param>
/// <param name="TimestampsUs">Presentation time of every frame, µs from the first, in decode order.</param>
public sealed record DecodeSummary(int FrameCount, IReadOnlyList<long> TimestampsUs)
{
    /// <summary>Presentation time of the last frame, µs from the first (0 when there is none).</summary>
    public long LastTimestampUs => TimestampsUs.Count > 0 ? TimestampsUs[^1] : 0;
}
