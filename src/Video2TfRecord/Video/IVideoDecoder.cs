using Video2TfRecord.Frames;

namespace Video2TfRecord.Video;

/// <summary>A decoder backend: opens videos for counting and decoding. Thread-safe; the videos it opens are not.</summary>
internal interface IVideoDecoder
{
    /// <summary>Which backend this is (never <see cref="DecoderBackend.Auto"/>).</summary>
    DecoderBackend Backend { get; }

    /// <summary>The libraries and versions behind it, for manifests and <c>inspect</c>.</summary>
    string Versions { get; }

    /// <summary>Opens a video and counts its frames (<see cref="IVideoSource.Info"/>), without decoding any.</summary>
    /// <param name="path">The video file.</param>
    /// <param name="images">
    /// How the frames will be stored: a backend may hand out frames already scaled to <see cref="FrameResize.GeometryFor"/>'s
    /// <c>Scaled</c> size of the upright frame (the geometry is unchanged by that), and with 16 bits per sample when
    /// <see cref="ImageOptions.PixelType"/> is 16-bit and the source has more than 8.
    /// </param>
    /// <param name="cancellationToken">Checked while counting.</param>
    /// <exception cref="VideoReadException">The file is missing, empty, not a video, or has no frames.</exception>
    IVideoSource Open(string path, ImageOptions images, CancellationToken cancellationToken = default);
}
