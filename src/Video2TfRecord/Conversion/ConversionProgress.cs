namespace Video2TfRecord.Conversion;

/// <summary>
/// What a running conversion reports: counts after every video, a progress update at least every second while videos
/// are being decoded (so one long video moves the bar too), and notices that a user should read.
/// </summary>
/// <param name="VideosDone">Videos finished and written out in order (written or not).</param>
/// <param name="VideosTotal">Videos in the catalog.</param>
/// <param name="FramesDone">Frames stored so far.</param>
/// <param name="Notice">A warning or a skipped video, in words, naming the file; <see langword="null"/> for a plain count update.</param>
public sealed record ConversionProgress(int VideosDone, int VideosTotal, long FramesDone, string? Notice = null)
{
    /// <summary>
    /// How much of the run is done, 0 to 1, counting the videos in progress by how far into them decoding has come
    /// (the source frame reached over the frame count); what an ETA is computed from. Never goes back.
    /// </summary>
    public double Fraction { get; init; }

    /// <summary>With a notice of a video (or clip) not written: that video and why; null otherwise.</summary>
    public VideoFailure? Failure { get; init; }

    /// <summary>Source frames the decoders have gone through so far (decoded or skipped by a seek), for a frames/s figure.</summary>
    public long SourceFrames { get; init; }
}
