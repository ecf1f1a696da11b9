namespace Video2TfRecord.Frames;

/// <summary>Sample type of the stored frames (<c>image/dtype</c>).</summary>
public enum PixelType
{
    /// <summary>8 bits per sample, 0..255.</summary>
    UInt8,

    /// <summary>16 bits per sample: the 8-bit value × 257, so 255 becomes 65535. Stored as PNG or raw only.</summary>
    UInt16,
}
