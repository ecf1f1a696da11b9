using System.Globalization;
using Video2TfRecord.Options;

namespace Video2TfRecord.Frames;

/// <summary>How each kept frame is stored: its size, channels, sample type and image encoding.</summary>
public sealed record ImageOptions
{
    /// <summary>JPEG quality when nothing else is asked for.</summary>
    public const int DefaultJpegQuality = 95;

    /// <summary>The qualities <c>--jpeg-quality</c> takes.</summary>
    public static NumberRange JpegQualityRange { get; } = new(1, 100, Whole: true);

    /// <summary>The resize step (mode and target).</summary>
    public FrameResize Resize { get; init; } = FrameResize.None;

    /// <summary>Stored channels.</summary>
    public ColorMode Color { get; init; } = ColorMode.Rgb;

    /// <summary>Stored sample type.</summary>
    public PixelType PixelType { get; init; } = PixelType.UInt8;

    /// <summary>Image encoding; <see cref="ImageEncoding.Auto"/> until <see cref="Resolve"/> picks the concrete one.</summary>
    public ImageEncoding Encoding { get; init; } = ImageEncoding.Auto;

    /// <summary>JPEG quality, 1..100.</summary>
    public int JpegQuality { get; init; } = DefaultJpegQuality;

    /// <summary>
    /// These options with <see cref="ImageEncoding.Auto"/> resolved: JPEG for 8-bit frames and PNG for 16-bit ones,
    /// or PNG when <paramref name="extraChannel"/> (a 4th flow channel, which JPEG cannot hold).
    /// </summary>
    /// <exception cref="OptionException">JPEG was asked for 16-bit frames.</exception>
    public ImageOptions Resolve(bool extraChannel = false) =>
        this with { Encoding = extraChannel && Encoding == ImageEncoding.Auto ? ImageEncoding.Png : ImageEncoder.Resolve(Encoding, PixelType) };

    /// <summary>Checks the quality and the resize step.</summary>
    /// <exception cref="OptionException">A value or a combination is not allowed.</exception>
    public void Validate()
    {
        JpegQualityRange.Check("jpeg-quality", JpegQuality);

        Resize.Validate();
        _ = ImageEncoder.Resolve(Encoding, PixelType);
    }

    /// <summary>The values that shape the output, by option name (the encoding as resolved).</summary>
    public IEnumerable<KeyValuePair<string, string>> Describe()
    {
        yield return new("color", OptionWord.Of(Color));
        yield return new("dtype", OptionWord.Of(PixelType));
        yield return new("encoding", OptionWord.Of(Encoding));
        yield return new("jpeg-quality", JpegQuality.ToString(CultureInfo.InvariantCulture));
        yield return new("size", Resize.Size?.ToString() ?? "source");
        yield return new("resize", Resize.Mode == ResizeMode.ShortSide
            ? string.Create(CultureInfo.InvariantCulture, $"short-side {Resize.ShortSide}")
            : OptionWord.Of(Resize.Mode));
    }
}
