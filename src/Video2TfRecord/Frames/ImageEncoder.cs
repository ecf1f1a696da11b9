using System.Runtime.InteropServices;
using OpenCvSharp;

namespace Video2TfRecord.Frames;

/// <summary>Encodes stored frames as JPEG, PNG or raw bytes, with the channel order readers expect (RGB).</summary>
/// <remarks>Not thread-safe: one per worker.</remarks>
internal sealed class ImageEncoder : IDisposable
{
    // cv::IMWRITE_JPEG_SAMPLING_FACTOR and IMWRITE_JPEG_SAMPLING_FACTOR_444, which OpenCvSharp's enum lacks.
    private const int JpegSamplingFactor = 7;
    private const int JpegSampling444 = 0x111111;

    private readonly ImageEncoding _encoding;
    private readonly int[] _parameters;

    /// <summary>Creates an encoder.</summary>
    /// <param name="encoding">A concrete encoding (not <see cref="ImageEncoding.Auto"/>).</param>
    /// <param name="jpegQuality">JPEG quality, 1..100.</param>
    /// <param name="fullChroma">JPEG with 4:4:4 chroma (no subsampling), for images whose channels are separate
    /// signals (flow: 4:2:0 would mix x into y).</param>
    public ImageEncoder(ImageEncoding encoding, int jpegQuality = 95, bool fullChroma = false)
    {
        if (encoding == ImageEncoding.Auto)
        {
            throw new ArgumentException("Resolve Auto to a concrete encoding first.", nameof(encoding));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(jpegQuality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jpegQuality, 100);
        _encoding = encoding;
        _parameters = (encoding, fullChroma) switch
        {
            (ImageEncoding.Jpeg, true) => [(int)ImwriteFlags.JpegQuality, jpegQuality, JpegSamplingFactor, JpegSampling444],
            (ImageEncoding.Jpeg, false) => [(int)ImwriteFlags.JpegQuality, jpegQuality],
            _ => [],
        };
    }

    /// <summary>The encoding applied.</summary>
    public ImageEncoding Encoding => _encoding;

    /// <summary>Encodes one frame.</summary>
    /// <param name="image">A frame in OpenCV order (gray, BGR or BGRA), 8 or 16 bit.</param>
    /// <returns>A new array that the caller owns (it goes into the record).</returns>
    public byte[] Encode(Mat image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return _encoding switch
        {
            ImageEncoding.Jpeg => EncodeWith(".jpg", image),
            ImageEncoding.Png => EncodeWith(".png", image),
            ImageEncoding.Raw => RawBytes(image),
            _ => throw new InvalidOperationException($"Unexpected encoding {_encoding}."),
        };
    }

    /// <summary>
    /// The concrete encoding for a request: <see cref="ImageEncoding.Auto"/> becomes JPEG for 8-bit frames and PNG
    /// for 16-bit ones. JPEG cannot hold 16-bit samples, so that pair is refused.
    /// </summary>
    /// <exception cref="OptionException">JPEG was asked for 16-bit frames.</exception>
    public static ImageEncoding Resolve(ImageEncoding requested, PixelType pixelType) => (requested, pixelType) switch
    {
        (ImageEncoding.Auto, PixelType.UInt8) => ImageEncoding.Jpeg,
        (ImageEncoding.Auto, _) => ImageEncoding.Png,
        (ImageEncoding.Jpeg, PixelType.UInt16) => throw new OptionException("encoding",
            "--encoding jpeg cannot store --dtype uint16 (JPEG is 8-bit): use --encoding png or raw"),
        _ => requested,
    };

    /// <inheritdoc />
    public void Dispose()
    {
        // Nothing native is held: raw frames are swapped straight into their record arrays. Kept so callers keep 'using'.
    }

    private byte[] EncodeWith(string extension, Mat image)
    {
        if (!Cv2.ImEncode(extension, image, out var bytes, _parameters))
        {
            throw new InvalidOperationException($"OpenCV could not encode a {image.Width}x{image.Height} frame as {extension}.");
        }

        return bytes;
    }

    // Row-major H×W×C in the machine's byte order, which is little-endian on every platform .NET runs here. The channel
    // swap writes straight into the array that goes into the record: no frame-sized scratch buffer between them.
    private static unsafe byte[] RawBytes(Mat image)
    {
        if (!image.IsContinuous())
        {
            throw new InvalidOperationException("Raw encoding needs a continuous frame buffer.");
        }

        var length = checked((int)(image.Total() * image.ElemSize()));
        var bytes = GC.AllocateUninitializedArray<byte>(length);
        var channels = image.Channels();
        if (channels is not (3 or 4))
        {
            Marshal.Copy(image.Data, bytes, 0, length);
            return bytes;
        }

        fixed (byte* target = bytes)
        {
            using var rgb = Mat.FromPixelData(image.Rows, image.Cols, image.Type(), (nint)target);
            Cv2.CvtColor(image, rgb, channels == 3 ? ColorConversionCodes.BGR2RGB : ColorConversionCodes.BGRA2RGBA);
            if (rgb.Data != (nint)target)
            {
                throw new InvalidOperationException("OpenCV wrote the raw frame elsewhere than into its record buffer.");
            }
        }

        return bytes;
    }
}
