namespace Video2TfRecord.Frames;

/// <summary>How each stored frame is encoded (<c>image/format</c>).</summary>
public enum ImageEncoding
{
    /// <summary>JPEG for 8-bit frames with 1 or 3 channels, PNG otherwise.</summary>
    Auto,

    /// <summary>Baseline JPEG, 8-bit, 1 or 3 channels; lossy, small.</summary>
    Jpeg,

    /// <summary>PNG: lossless, 8 or 16 bit.</summary>
    Png,

    /// <summary>Row-major H×W×C samples, little-endian, no header: what the original tool's readers reshape.</summary>
    Raw,
}
