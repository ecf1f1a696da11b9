namespace Video2TfRecord.Video;

/// <summary>What probing a video found, before any frame is decoded.</summary>
/// <param name="Path">The video file.</param>
/// <param name="FrameCount">Frames counted in the stream (packets), which decoding later confirms.</param>
/// <param name="HeaderFrameCount">What the container header claims; often wrong, kept for the record.</param>
/// <param name="Fps">The stream's frame rate as the container reports it (the average rate for variable-rate files).</param>
/// <param name="Width">Coded width in pixels, before rotation metadata is applied.</param>
/// <param name="Height">Coded height in pixels, before rotation metadata is applied.</param>
/// <param name="TimestampsUs">Forecast presentation time of each frame, µs from the first, ascending (from packets).</param>
internal sealed record VideoInfo(string Path, int FrameCount, int HeaderFrameCount, double Fps, int Width, int Height, IReadOnlyList<long> TimestampsUs)
{
    /// <summary>The forecast duration: the last frame's time plus one frame period (see <see cref="DurationOf"/>).</summary>
    public long DurationUs => TimestampsUs.Count == 0 ? 0 : DurationOf(TimestampsUs, Fps);

    /// <summary>
    /// A video's duration in µs: its last frame's time plus one frame period at <paramref name="fps"/> (without a rate,
    /// the mean spacing of the frames; 1 µs for a single frame), so that every frame lies before the end.
    /// </summary>
    /// <param name="timestampsUs">Presentation time of every frame, µs from the first, ascending; at least one.</param>
    /// <param name="fps">The reported frame rate, or 0.</param>
    public static long DurationOf(IReadOnlyList<long> timestampsUs, double fps)
    {
        ArgumentNullException.ThrowIfNull(timestampsUs);
        ArgumentOutOfRangeException.ThrowIfZero(timestampsUs.Count);
        var last = timestampsUs[^1];
        var period = fps > 0 ? (long)Math.Round(1e6 / fps)
            : timestampsUs.Count > 1 ? (long)Math.Round((double)last / (timestampsUs.Count - 1)) : 0;
        return last + Math.Max(1, period);
    }
}
