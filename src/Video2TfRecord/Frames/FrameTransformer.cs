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
internal sealed class FrameTransformer : IDisposable
{
    private readonly FrameResize _resize;
    private readonly ColorMode _color;
    private readonly PixelType _pixelType;
    private readonly Mat _resized = new();
    private readonly Mat _framed = new();
    private readonly Mat _colored = new();
    private readonly Mat _deep = new();
    private readonly Mat _gray16 = new();

    /// <summary>Creates a transformer.</summary>
    /// <param name="resize">How frames reach the stored size (<see cref="FrameResize.None"/> keeps the source size).</param>
    /// <param name="color">Stored channels.</param>
    /// <param name="pixelType">Stored sample type.</param>
    public FrameTransformer(FrameResize resize, ColorMode color, PixelType pixelType)
    {
        ArgumentNullException.ThrowIfNull(resize);
        _resize = resize;
        _color = color;
        _pixelType = pixelType;
    }

    /// <summary>Channels of every frame this transformer returns.</summary>
    public int Channels => _color == ColorMode.Gray ? 1 : 3;

    /// <summary>Applies the transform.</summary>
    /// <param name="bgr">A 3-channel BGR frame, 8-bit or 16-bit (a deeper source); not modified.</param>
    /// <returns>A frame owned by this transformer, valid until the next call.</returns>
    public Mat Apply(Mat bgr) => Apply(bgr, null);

    /// <summary>Applies the transform, and writes the 8-bit gray of the resized frame (what flow is computed on).</summary>
    /// <param name="bgr">A 3-channel BGR frame, 8-bit or 16-bit (a deeper source); not modified.</param>
    /// <param name="gray8">Receives the resized frame as 8-bit gray, or null.</param>
    /// <returns>A frame owned by this transformer, valid until the next call.</returns>
    public Mat Apply(Mat bgr, Mat? gray8)
    {
        var current = Fit(bgr);
        if (gray8 is not null)
        {
            Gray8(current, gray8);
        }

        if (_color == ColorMode.Gray)
        {
            Cv2.CvtColor(current, _colored, ColorConversionCodes.BGR2GRAY);
            current = _colored;
        }

        var deep = current.Depth() == MatType.CV_16U;
        if (_pixelType == PixelType.UInt16 && !deep)
        {
            // 8-bit samples spread over the 16-bit range (0 → 0, 255 → 65535).
            current.ConvertTo(_deep, MatType.MakeType(MatType.CV_16U, current.Channels()), 257.0);
            current = _deep;
        }
        else if (_pixelType == PixelType.UInt8 && deep)
        {
            current.ConvertTo(_deep, MatType.MakeType(MatType.CV_8U, current.Channels()), 1 / 257.0);
            current = _deep;
        }

        return current;
    }

    /// <summary>Only the resize, then 8-bit gray: for frames flow needs but the record does not store.</summary>
    /// <param name="bgr">A 3-channel BGR frame, 8-bit or 16-bit; not modified.</param>
    /// <param name="gray8">Receives the resized frame as 8-bit gray.</param>
    public void ApplyGray(Mat bgr, Mat gray8) => Gray8(Fit(bgr), gray8);

    private void Gray8(Mat bgr, Mat gray8)
    {
        if (bgr.Depth() == MatType.CV_16U)
        {
            Cv2.CvtColor(bgr, _gray16, ColorConversionCodes.BGR2GRAY);
            _gray16.ConvertTo(gray8, MatType.CV_8U, 1 / 257.0);
        }
        else
        {
            Cv2.CvtColor(bgr, gray8, ColorConversionCodes.BGR2GRAY);
        }
    }

    // Resize, then pad or crop to the stored size: the frame in BGR at the stored geometry.
    private Mat Fit(Mat bgr)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        var current = bgr;
        var geometry = _resize.GeometryFor(bgr.Size());
        if (geometry.Scaled != bgr.Size())
        {
            // INTER_AREA averages when shrinking (no aliasing); it degrades to nearest when enlarging, so use linear there.
            var shrinking = geometry.Scaled.Width <= bgr.Width && geometry.Scaled.Height <= bgr.Height;
            Cv2.Resize(bgr, _resized, geometry.Scaled, 0, 0, shrinking ? InterpolationFlags.Area : InterpolationFlags.Linear);
            current = _resized;
        }

        if (!geometry.IsPlain && geometry.Pad)
        {
            var w = geometry.Window;
            Cv2.CopyMakeBorder(current, _framed, w.Y, geometry.Stored.Height - w.Bottom, w.X, geometry.Stored.Width - w.Right,
                BorderTypes.Constant, Scalar.Black);
            current = _framed;
        }
        else if (!geometry.IsPlain)
        {
            // A copy, not a view: raw output needs one continuous buffer.
            using var window = new Mat(current, geometry.Window);
            window.CopyTo(_framed);
            current = _framed;
        }

        return current;
    }

    /// <summary>
    /// Frees the scratch frames that have grown past <paramref name="bytes"/> (a huge --size), so they do not stay beside
    /// the record while it is serialized, nor for the rest of the run; smaller ones are kept for the next video.
    /// </summary>
    public void ReleaseLarge(long bytes)
    {
        foreach (var mat in new[] { _resized, _framed, _colored, _deep, _gray16 })
        {
            if (!mat.Empty() && mat.Total() * mat.ElemSize() > bytes)
            {
                mat.Release();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _resized.Dispose();
        _framed.Dispose();
        _colored.Dispose();
        _deep.Dispose();
        _gray16.Dispose();
    }
}
