using Video2TfRecord.Frames;
using Video2TfRecord.Video.Native;

namespace Video2TfRecord.Video;

/// <summary>
/// Decodes through the system's FFmpeg libraries (the newest of FFmpeg 4, 5, 6.1, 7, 8 or 9 the machine has, see
/// <c>LibAvLayout</c>): SIMD decoders, AV1 through libdav1d, frames identified by presentation time, seeking over gaps, and
/// one swscale conversion per kept frame straight to its scaled size.
/// </summary>
internal sealed class FFmpegDecoder : IVideoDecoder
{
    private readonly int _threads;
    private readonly bool _skipUnreferenced;

    // Clips of one video follow each other in a run: each video's packets are counted once for all of them.
    private readonly CountedVideos _counted = new(capacity: 16);

    /// <summary>Creates the backend.</summary>
    /// <param name="threads">Decoder threads per video (at least 1): the cores divided by the videos decoded at once.</param>
    /// <param name="skipUnreferenced">
    /// Whether pictures nothing references and nobody keeps are left undecoded (issue 24); false decodes every picture up to
    /// the last kept one, as before (the tests compare the two).
    /// </param>
    /// <exception cref="NotSupportedException">The libraries are missing or of other majors (<see cref="Problem"/>).</exception>
    public FFmpegDecoder(int threads, bool skipUnreferenced = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (FFmpegLibraries.Problem is { } problem)
        {
            throw new NotSupportedException(problem);
        }

        (_threads, _skipUnreferenced) = (threads, skipUnreferenced);
    }

    /// <summary>Decoder threads per video.</summary>
    public int Threads => _threads;

    /// <summary>Why the system's FFmpeg cannot be used here, in one line, or null when it can.</summary>
    public static string? Problem => FFmpegLibraries.Problem;

    /// <inheritdoc />
    public DecoderBackend Backend => DecoderBackend.FFmpeg;

    /// <inheritdoc />
    public string Versions => FFmpegLibraries.Versions;

    /// <inheritdoc />
    public IVideoSource Open(string path, ImageOptions images, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        return new FFmpegVideo(path, _threads, images.Resize, images.PixelType == PixelType.UInt16, cancellationToken, _counted, _skipUnreferenced);
    }
}
