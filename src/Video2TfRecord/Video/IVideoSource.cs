namespace Video2TfRecord.Video;

/// <summary>One opened video. Not thread-safe; dispose it to release the native decoder.</summary>
public interface IVideoSource : IDisposable
{
    /// <summary>What counting found: the frame count and times the sampling is planned from.</summary>
    VideoInfo Info { get; }

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
