namespace Video2TfRecord.Sampling;

/// <summary>What happens when a video has fewer frames (T) than asked for (N).</summary>
public enum ShortVideoPolicy
{
    /// <summary>Keep frames 0..T−1, then repeat frame T−1 up to N; the stored indices show the repeats (default).</summary>
    Pad,

    /// <summary>Do not write the video; it is listed as skipped.</summary>
    Skip,

    /// <summary>Treat the video as failed; it is listed with the reason.</summary>
    Error,
}
