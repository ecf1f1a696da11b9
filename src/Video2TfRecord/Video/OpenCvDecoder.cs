using OpenCvSharp;

namespace Video2TfRecord.Video;

/// <summary>
/// Opens videos through OpenCV's FFmpeg backend: counts their frames cheaply and decodes exactly the frames asked for.
/// </summary>
/// <remarks>
/// Frames that are not asked for are grabbed (demuxed and decoded) but never converted to BGR or copied; every decode
/// runs from the first frame to the last, and frames come at the source size. Rotation metadata is applied by OpenCV,
/// so frames come out upright.
/// </remarks>
internal sealed class OpenCvDecoder : IVideoDecoder
{
    /// <summary>The one instance (it holds no state).</summary>
    public static OpenCvDecoder Instance { get; } = new();

    private OpenCvDecoder()
    {
    }

    /// <inheritdoc />
    public DecoderBackend Backend => DecoderBackend.OpenCV;

    /// <inheritdoc />
    public string Versions => $"OpenCV {Cv2.GetVersionString()} (OpenCvSharp's bundled FFmpeg)";

    /// <inheritdoc />
    public IVideoSource Open(string path, Frames.ImageOptions images, CancellationToken cancellationToken = default) =>
        new Source(path, Probe(path, cancellationToken));

    /// <summary>
    /// Counts the frames of a video by its packets, without decoding them (raw mode), and reads the header values.
    /// </summary>
    /// <exception cref="VideoReadException">The file is missing, empty, not a video, or has no frames.</exception>
    private static VideoInfo Probe(string path, CancellationToken cancellationToken = default)
    {
        using var capture = Open(path);
        var headerCount = (int)Math.Max(0, Math.Round(capture.Get(VideoCaptureProperties.FrameCount)));
        var fps = capture.Fps;
        var width = capture.FrameWidth;
        var height = capture.FrameHeight;
        // In raw mode Grab() reads one packet and does not decode it: a count in milliseconds, even for long files.
        capture.Set(VideoCaptureProperties.Format, -1);
        var positionsMs = new List<double>();
        while (capture.Grab())
        {
            positionsMs.Add(capture.PosMsec);
            if ((positionsMs.Count & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        if (positionsMs.Count == 0)
        {
            throw new VideoReadException(path, "the video stream holds no frames");
        }

        // Packets come in decode order (B-frames reorder), so presentation order is the sorted order. This is a
        // forecast: the decode pass reports the real timestamps and the caller re-selects if they differ.
        positionsMs.Sort();
        var timestamps = new long[positionsMs.Count];
        for (var i = 0; i < timestamps.Length; i++)
        {
            timestamps[i] = (long)Math.Round((positionsMs[i] - positionsMs[0]) * 1000.0);
        }

        return new VideoInfo(path, positionsMs.Count, headerCount, double.IsFinite(fps) && fps > 0 ? fps : 0, width, height, timestamps);
    }

    /// <summary>
    /// Decodes the video from the start to its end and hands the frames at <paramref name="wanted"/> to
    /// <paramref name="visitor"/>, in order.
    /// </summary>
    /// <param name="path">The video file.</param>
    /// <param name="wanted">Frame indices to hand out, strictly ascending.</param>
    /// <param name="visitor">Called once per wanted frame that exists.</param>
    /// <param name="cancellationToken">Checked between frames.</param>
    /// <returns>How many frames the stream decoded to (the video's true frame count) and the last one's timestamp.</returns>
    /// <exception cref="VideoReadException">The file cannot be opened or a wanted frame cannot be converted.</exception>
    private static DecodeSummary Decode(string path, ReadOnlySpan<int> wanted, FrameVisitor visitor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        using var capture = Open(path);
        using var frame = new Mat();
        var fallbackStepUs = capture.Fps > 0 ? 1e6 / capture.Fps : 0;
        var next = 0;
        var index = 0;
        double firstMs = 0;
        long previousUs = -1;
        var timestamps = new List<long>();
        while (capture.Grab())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var positionMs = capture.PosMsec;
            if (index == 0)
            {
                firstMs = positionMs;
            }

            var timestampUs = (long)Math.Round((positionMs - firstMs) * 1000.0);
            // Some containers (MPEG-PS) report 0 for the last frame: extrapolate from the frame rate instead.
            if (index > 0 && timestampUs <= previousUs)
            {
                timestampUs = previousUs + (long)Math.Round(fallbackStepUs);
            }

            previousUs = timestampUs;
            timestamps.Add(timestampUs);
            if (next < wanted.Length && wanted[next] == index)
            {
                if (!capture.Retrieve(frame) || frame.Empty())
                {
                    throw new VideoReadException(path, "the decoder returned no image for this frame", index);
                }

                visitor(index, timestampUs, frame);
                next++;
            }

            index++;
        }

        return new DecodeSummary(index, timestamps);
    }

    private static VideoCapture Open(string path)
    {
        VideoFile.CheckReadable(path);
        NativeDecoderLog.EnsureSilenced();
        var capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG);
        if (!capture.IsOpened())
        {
            capture.Dispose();
            throw new VideoReadException(path, VideoFile.NotAVideo);
        }

        return capture;
    }

    private sealed class Source(string path, VideoInfo info) : IVideoSource
    {
        public VideoInfo Info => info;

        public double? ClockOriginSeconds => null;

        public DecodeSummary Decode(ReadOnlySpan<int> wanted, FrameVisitor visitor, CancellationToken cancellationToken = default) =>
            OpenCvDecoder.Decode(path, wanted, visitor, cancellationToken);

        public void Dispose()
        {
            // Each decode opens and closes its own capture.
        }
    }
}
