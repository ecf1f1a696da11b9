using OpenCvSharp;

namespace Video2TfRecord.Frames;

/// <summary>
/// Turns a decoded BGR frame into the stored frame: resize, color, depth, in that order, into buffers that are
/// reused from frame to frame.
/// </summary>
/// <remarks>
/// The result keeps OpenCV's channel order (BGR) because OpenCV's JPEG and PNG encoders expect it and write RGB files;
/// <see cref="ImageEncoder"/> swaps to RGB for raw output. Not thread-safe: one per worker.
/// </remarks>
public sealed class FrameTransformer : IDisposable
{
    private readonly FrameSize? _size;
    private readonly ColorMode _color;
    private readonly PixelType _pixelType;
    private readonly Mat _resized = new();
    private readonly Mat _colored = new();
    private readonly Mat _deep = new();

    /// <summary>Creates a transformer.</summary>
    /// <param name="size">Target size, or <see langword="null"/> to keep the source size.</param>
    /// <param name="color">Stored channels.</param>
    /// <param name="pixelType">Stored sample type.</param>
    public FrameTransformer(FrameSize? size, ColorMode color, PixelType pixelType)
    {
        _size = size;
        _color = color;
        _pixelType = pixelType;
    }

    /// <summary>Channels of every frame this transformer returns.</summary>
    public int Channels => _color == ColorMode.Gray ? 1 : 3;

    /// <summary>Applies the transform.</summary>
    /// <param name="bgr">An 8-bit, 3-channel BGR frame; not modified.</param>
    /// <returns>A frame owned by this transformer, valid until the next call.</returns>
    public Mat Apply(Mat bgr)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        var current = bgr;
        if (_size is { } size && (size.Width != bgr.Width || size.Height != bgr.Height))
        {
            // INTER_AREA averages when shrinking (no aliasing); it degrades to nearest when enlarging, so use linear there.
            var shrinking = size.Width <= bgr.Width && size.Height <= bgr.Height;
            Cv2.Resize(bgr, _resized, new Size(size.Width, size.Height), 0, 0,
                shrinking ? InterpolationFlags.Area : InterpolationFlags.Linear);
            current = _resized;
        }

        if (_color == ColorMode.Gray)
        {
            Cv2.CvtColor(current, _colored, ColorConversionCodes.BGR2GRAY);
            current = _colored;
        }

        if (_pixelType == PixelType.UInt16)
        {
            current.ConvertTo(_deep, MatType.MakeType(MatType.CV_16U, current.Channels()), 257.0);
            current = _deep;
        }

        return current;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _resized.Dispose();
        _colored.Dispose();
        _deep.Dispose();
    }
}
