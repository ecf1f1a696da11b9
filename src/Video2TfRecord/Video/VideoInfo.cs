namespace Video2TfRecord.Video;

/// <summary>What probing a video found, before any frame is decoded.</summary>
/// <param name="Path">The video file.</param>
/// <param name="FrameCount">Frames counted in the stream (packets), which decoding later confirms.</param>
/// <param name="HeaderFrameCount">What the container header claims; often wrong, kept for the record.</param>
/// <param name="Fps">The stream's frame rate as the container reports it (the average rate for variable-rate files).</param>
/// <param name="Width">Coded width in pixels, before rotation metadata is applied.</param>
/// <param name="Height">Coded height in pixels, before rotation metadata is applied.</param>
/// <param name="TimestampsUs">Forecast presentation time of each frame, µs from the first, ascending (from packets).</param>
public sealed record VideoInfo(string Path, int FrameCount, int HeaderFrameCount, double Fps, int Width, int Height, IReadOnlyList<long> TimestampsUs);
