using OpenCvSharp;

namespace Video2TfRecord.Video;

/// <summary>Receives one decoded frame that was asked for.</summary>
/// <param name="frameIndex">0-based index of the frame in decode order.</param>
/// <param name="timestampUs">Presentation time in microseconds from the video's first frame.</param>
/// <param name="frame">
/// The frame as BGR, rotation applied: 8-bit, or 16-bit from a deeper source when the decoder was asked for 16-bit
/// samples; at the source size or already scaled (see <see cref="IVideoDecoder.Open"/>). Owned by the decoder and valid
/// only during the call.
/// </param>
internal delegate void FrameVisitor(int frameIndex, long timestampUs, Mat frame);
