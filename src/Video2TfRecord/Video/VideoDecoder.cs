namespace Video2TfRecord.Video;

/// <summary>Chooses the decoder backend for a run (<c>--decoder</c>).</summary>
internal static class VideoDecoder
{
    /// <summary>
    /// The backend <paramref name="backend"/> means here: <see cref="DecoderBackend.Auto"/> is FFmpeg where the system
    /// libraries load, else OpenCV.
    /// </summary>
    public static DecoderBackend Resolve(DecoderBackend backend) =>
        backend == DecoderBackend.Auto ? FFmpegDecoder.Problem is null ? DecoderBackend.FFmpeg : DecoderBackend.OpenCV : backend;

    /// <summary>What a user should be told when <paramref name="backend"/> falls back to OpenCV here, or null.</summary>
    public static string? FallbackNotice(DecoderBackend backend) => backend == DecoderBackend.Auto && FFmpegDecoder.Problem is { } problem
        ? $"decoding with OpenCV's bundled FFmpeg (slower, no AV1) because {problem}"
        : null;

    /// <summary>Creates the decoder for <paramref name="backend"/>.</summary>
    /// <param name="backend">The backend asked for (<see cref="DecoderBackend.Auto"/> is resolved here).</param>
    /// <param name="jobs">Videos decoded at once: FFmpeg's decoder threads per video are the cores divided by it.</param>
    /// <exception cref="OptionException"><see cref="DecoderBackend.FFmpeg"/> was asked for and cannot be used here.</exception>
    public static IVideoDecoder Create(DecoderBackend backend, int jobs)
    {
        if (Resolve(backend) == DecoderBackend.OpenCV)
        {
            return OpenCvDecoder.Instance;
        }

        if (FFmpegDecoder.Problem is { } problem)
        {
            throw new OptionException("decoder", $"--decoder ffmpeg: {problem}");
        }

        return new FFmpegDecoder(ThreadsPerVideo(Environment.ProcessorCount, jobs));
    }

    /// <summary>FFmpeg's decoder threads per video: the cores shared among the videos decoded at once, at least one.</summary>
    internal static int ThreadsPerVideo(int processorCount, int jobs) => Math.Max(1, processorCount / Math.Max(1, jobs));
}
