using System.Runtime.InteropServices;
using OpenCvSharp;
using Video2TfRecord.Frames;

namespace Video2TfRecord.Flow;

/// <summary>
/// Turns a flow field into stored samples. <c>xy</c>: each component v clipped to ±bound b and mapped to
/// q = round(max·(v + b) / (2b)) (max 255 or 65535, ties to even), so v = q·2b/max − b. <c>seed</c>: the original
/// tool's gray channel. Holds reusable buffers: one per worker.
/// </summary>
internal sealed class FlowQuantizer : IDisposable
{
    private readonly double _bound;
    private readonly PixelType _pixelType;
    // Buffers reused from frame to frame (sized by the first call and again only when the size changes).
    private readonly Mat _component = new();
    private readonly Mat _zero = new();
    private readonly Mat _dx = new();
    private readonly Mat _dy = new();
    private readonly Mat _magnitude = new();
    private readonly Mat _angle = new();
    private readonly Mat _value = new();
    private readonly Mat _hsv = new();
    private readonly Mat _bgr = new();
    private readonly Mat _gray8 = new();

    /// <summary>Creates a quantizer.</summary>
    /// <param name="bound">The clip bound in pixels per frame, above 0.</param>
    /// <param name="pixelType">The stored sample type.</param>
    public FlowQuantizer(double bound, PixelType pixelType)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        _bound = bound;
        _pixelType = pixelType;
    }

    /// <summary>The largest stored sample: 255 or 65535.</summary>
    public double MaxSample => _pixelType == PixelType.UInt16 ? 65535 : 255;

    private MatType SampleType(int channels) => MatType.MakeType(_pixelType == PixelType.UInt16 ? MatType.CV_16U : MatType.CV_8U, channels);

    /// <summary>dx into <paramref name="x"/> and dy into <paramref name="y"/>, one channel each.</summary>
    public void ToPlanes(Mat flow, Mat x, Mat y)
    {
        ArgumentNullException.ThrowIfNull(flow);
        Quantize(flow, 0, x);
        Quantize(flow, 1, y);
    }

    /// <summary>One 3-channel image in OpenCV order (B = 0, G = dy, R = dx), so RGB files hold R = x, G = y, B = 0.</summary>
    public void ToColor(Mat flow, Mat bgr, Mat x, Mat y)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        ToPlanes(flow, x, y);
        if (_zero.Size() != flow.Size() || _zero.Type() != SampleType(1))
        {
            _zero.Create(flow.Size(), SampleType(1));
            _zero.SetTo(Scalar.All(0));
        }

        Cv2.Merge([_zero, y, x], bgr);
    }

    /// <summary>
    /// The original tool's channel: hue = angle·90/π and value = min-max normalized magnitude (both truncated to
    /// 8 bit, as its numpy assignment did), saturation 255, HSV → BGR → gray; ×257 for 16-bit.
    /// </summary>
    public void ToSeedChannel(Mat flow, Mat gray)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(gray);
        var (height, width) = (flow.Rows, flow.Cols);
        Cv2.ExtractChannel(flow, _dx, 0);
        Cv2.ExtractChannel(flow, _dy, 1);
        Cv2.CartToPolar(_dx, _dy, _magnitude, _angle);
        // As the original: value = cv2.normalize(mag, 0, 255, NORM_MINMAX) in float, hue = ang * 180 / pi / 2 in
        // float32 (numpy keeps float32 against Python scalars), both truncated by numpy's assignment to uint8.
        Cv2.Normalize(_magnitude, _value, 0, 255, NormTypes.MinMax);
        _hsv.Create(height, width, MatType.CV_8UC3);
        for (var row = 0; row < height; row++)
        {
            var values = MemoryMarshal.Cast<byte, float>(Row(_value, row, width * sizeof(float)));
            var angles = MemoryMarshal.Cast<byte, float>(Row(_angle, row, width * sizeof(float)));
            var pixels = Row(_hsv, row, width * 3);
            for (var col = 0; col < width; col++)
            {
                pixels[(col * 3) + 0] = (byte)(angles[col] * 180f / (float)Math.PI / 2f);
                pixels[(col * 3) + 1] = 255;
                pixels[(col * 3) + 2] = (byte)values[col];
            }
        }

        Cv2.CvtColor(_hsv, _bgr, ColorConversionCodes.HSV2BGR);
        if (_pixelType == PixelType.UInt16)
        {
            Cv2.CvtColor(_bgr, _gray8, ColorConversionCodes.BGR2GRAY);
            _gray8.ConvertTo(gray, MatType.CV_16UC1, 257.0);
        }
        else
        {
            Cv2.CvtColor(_bgr, gray, ColorConversionCodes.BGR2GRAY);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var mat in new[] { _component, _zero, _dx, _dy, _magnitude, _angle, _value, _hsv, _bgr, _gray8 })
        {
            mat.Dispose();
        }
    }

    private static unsafe Span<byte> Row(Mat mat, int row, int length) => new((void*)mat.Ptr(row), length);

    private void Quantize(Mat flow, int channel, Mat plane)
    {
        ArgumentNullException.ThrowIfNull(plane);
        Cv2.ExtractChannel(flow, _component, channel);
        // saturate_cast clamps to the sample range and rounds to nearest, ties to even.
        var max = MaxSample;
        _component.ConvertTo(plane, SampleType(1), max / (2 * _bound), max / 2);
    }
}
