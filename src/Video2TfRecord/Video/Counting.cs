using OpenCvSharp;

namespace Video2TfRecord.Video;

/// <summary>What counting a video's packets found (<see cref="PacketCounter"/>), kept for its other clips by <see cref="CountedVideos"/>.</summary>
/// <param name="Info">The count, times, header values.</param>
/// <param name="Table">The shown frames by timestamp, or null when the packets' timestamps cannot identify frames.</param>
/// <param name="SecondsPerTick">The video stream's time base.</param>
/// <param name="Seekable">Whether the container seeks through a sample index (exact, to a keyframe).</param>
/// <param name="Rotation">The rotation that makes the pictures upright, or null.</param>
/// <param name="Corrupt">Whether the demuxer flagged a packet as cut or damaged.</param>
/// <param name="FirstDtsSeconds">The first shown packet's decode time in seconds (0 without one).</param>
internal sealed record Counting(VideoInfo Info, FrameTable? Table, double SecondsPerTick, bool Seekable, RotateFlags? Rotation, bool Corrupt,
    double FirstDtsSeconds);
