using System.Runtime.InteropServices;
using OpenCvSharp;

namespace Video2TfRecord.Flow;

/// <summary>Moves frames and flow fields between OpenCV <see cref="Mat"/>s and the float buffers the methods work on.</summary>
internal sealed class FlowFrames
{
    private byte[] _grayRow = [];
    private float[] _flowRow = [];

    /// <summary>The smallest frame side the methods accept.</summary>
    public const int MinimumSide = 8;

    /// <summary>Checks that the two frames are 8-bit gray, the same size, and at least 8×8.</summary>
    public static void CheckPair(Mat previous, Mat next)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(next);
        if (previous.Type() != MatType.CV_8UC1 || next.Type() != MatType.CV_8UC1)
        {
            throw new ArgumentException($"optical flow needs 8-bit one-channel frames, got {previous.Type()} and {next.Type()}");
        }

        if (previous.Size() != next.Size())
        {
            throw new ArgumentException($"optical flow needs frames of one size, got {previous.Width}x{previous.Height} and {next.Width}x{next.Height}");
        }

        if (previous.Width < MinimumSide || previous.Height < MinimumSide)
        {
            throw new ArgumentException($"optical flow needs frames of at least {MinimumSide}x{MinimumSide}, got {previous.Width}x{previous.Height}");
        }
    }

    /// <summary>Copies an 8-bit gray frame into <paramref name="target"/>, row-major, values 0..255.</summary>
    public void Load(Mat gray, Span<float> target)
    {
        var (width, height) = (gray.Width, gray.Height);
        if (_grayRow.Length < width)
        {
            _grayRow = new byte[width];
        }

        for (var y = 0; y < height; y++)
        {
            Marshal.Copy(gray.Ptr(y), _grayRow, 0, width);
            var row = target.Slice(y * width, width);
            for (var x = 0; x < width; x++)
            {
                row[x] = _grayRow[x];
            }
        }
    }

    /// <summary>
    /// Writes the flow components <paramref name="u"/> (dx) and <paramref name="v"/> (dy), rows <paramref name="stride"/>
    /// apart (<paramref name="width"/> when 0), into a CV_32FC2 <paramref name="flow"/>.
    /// </summary>
    public void Store(ReadOnlySpan<float> u, ReadOnlySpan<float> v, int width, int height, Mat flow, int stride = 0)
    {
        stride = stride == 0 ? width : stride;
        flow.Create(height, width, MatType.CV_32FC2);
        if (_flowRow.Length < 2 * width)
        {
            _flowRow = new float[2 * width];
        }

        for (var y = 0; y < height; y++)
        {
            ReadOnlySpan<float> uRow = u.Slice(y * stride, width), vRow = v.Slice(y * stride, width);
            for (var x = 0; x < width; x++)
            {
                _flowRow[2 * x] = uRow[x];
                _flowRow[(2 * x) + 1] = vRow[x];
            }

            Marshal.Copy(_flowRow, 0, flow.Ptr(y), 2 * width);
        }
    }
}
