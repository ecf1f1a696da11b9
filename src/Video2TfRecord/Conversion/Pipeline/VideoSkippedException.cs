namespace Video2TfRecord.Conversion.Pipeline;

/// <summary>
/// A video is readable but a policy says not to write it (<c>--short-video skip</c>, a missing label, a record over
/// <c>--max-record-bytes</c>). It is listed as skipped with <see cref="Exception.Message"/> as the reason.
/// </summary>
internal sealed class VideoSkippedException : Exception
{
    /// <summary>Creates the exception with the reason in words, without the file name.</summary>
    public VideoSkippedException(string reason)
        : base(reason)
    {
    }
}
