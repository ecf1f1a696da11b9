using Video2TfRecord.Frames;

namespace Video2TfRecord.Records;

/// <summary>The exact byte-string values stored for formats, sample types and colorspaces (docs/format.md).</summary>
internal static class RecordValues
{
    /// <summary><c>JPEG</c>, <c>PNG</c> or <c>RAW</c>.</summary>
    public static string FormatName(ImageEncoding encoding) => encoding switch
    {
        ImageEncoding.Jpeg => "JPEG",
        ImageEncoding.Png => "PNG",
        ImageEncoding.Raw => "RAW",
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "No stored name for this encoding."),
    };

    /// <summary><c>uint8</c> or <c>uint16</c>.</summary>
    public static string DtypeName(PixelType pixelType) => pixelType == PixelType.UInt16 ? "uint16" : "uint8";

    /// <summary><c>RGB</c> or <c>GRAY</c>.</summary>
    public static string ColorspaceName(ColorMode color) => color == ColorMode.Gray ? "GRAY" : "RGB";
}
