namespace Video2TfRecord.Video;

/// <summary>What a decode found.</summary>
/// <param name="FrameCount">Frames the video has: the true frame count T.</param>
/// <param name="TimestampsUs">Presentation time of every frame, µs from the first, ascending.</param>
/// <param name="Lost">Which counted frames did not decode (a damaged file), in words, or null.</param>
internal sealed record DecodeSummary(int FrameCount, IReadOnlyList<long> TimestampsUs, string? Lost = null)
{
    /// <summary>Presentation time of the last frame, µs from the first (0 when there is none).</summary>
    public long LastTimestampUs => TimestampsUs.Count > 0 ? TimestampsUs[^1] : 0;
}
