namespace Video2TfRecord.Conversion;

/// <summary>What a running conversion reports: counts after every video, and notices that a user should read.</summary>
/// <param name="VideosDone">Videos finished (written or not).</param>
/// <param name="VideosTotal">Videos in the catalog.</param>
/// <param name="FramesDone">Frames stored so far.</param>
/// <param name="Notice">A warning or a skipped video, in words, naming the file; <see langword="null"/> for a plain count update.</param>
public sealed record ConversionProgress(int VideosDone, int VideosTotal, long FramesDone, string? Notice = null);
