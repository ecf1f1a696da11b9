namespace Video2TfRecord.Video;

/// <summary>What a full sequential decode found.</summary>
/// <param name="FrameCount">Frames the stream decoded to: the video's true frame count T.</param>
/// <param name="LastTimestampUs">Presentation time of the last frame, µs from the first (0 when there is none).</param>
public sealed record DecodeSummary(int FrameCount, long LastTimestampUs);
