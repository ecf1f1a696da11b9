namespace Video2TfRecord.Video;

/// <summary>One opened video. Not thread-safe; dispose it to release the native decoder.</summary>
internal interface IVideoSource : IDisposable
{
    /// <summary>What counting found: the frame count and times the sampling is planned from.</summary>
    VideoInfo Info { get; }

    /// <summary>
    /// Where the video's clock starts, in seconds on the container's clock: the presentation time of the first shown
    /// frame, from which the frames' timestamps (µs, <see cref="VideoInfo.TimestampsUs"/>) count; audio is placed against
    /// it. Null when the backend does not know the container's clock: the OpenCV backend always returns null (OpenCV gives
    /// positions from the stream's start only), which is why audio needs the FFmpeg backend.
    /// </summary>
    double? ClockOriginSeconds { get; }

    /// <summary>
    /// Hands the frames at <paramref name="wanted"/> to <paramref name="visitor"/>, in order, and says how many frames the
    /// video really has. When that differs from <see cref="Info"/> (a damaged or truncated file), plan again from the
    /// summary and call this again: indices then count the frames that decode.
    /// </summary>
    /// <param name="wanted">Frame indices to hand out, strictly ascending.</param>
    /// <param name="visitor">Called once per wanted frame that exists.</param>
    /// <param name="cancellationToken">Checked between frames.</param>
    /// <exception cref="VideoReadException">A wanted frame cannot be converted.</exception>
    DecodeSummary Decode(ReadOnlySpan<int> wanted, FrameVisitor visitor, CancellationToken cancellationToken = default);
}
