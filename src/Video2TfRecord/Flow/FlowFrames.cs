using System.Runtime.Intrinsics;
using OpenCvSharp;

namespace Video2TfRecord.Flow;

/// <summary>Moves frames and flow fields between OpenCV <see cref="Mat"/>s and the float buffers the methods work on.</summary>
internal sealed class FlowFrames
{
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
    public unsafe void Load(Mat gray, Span<float> target)
    {
        var (width, height) = (gray.Width, gray.Height);
        // The address and row step are asked for once: a call into OpenCV per row cost about as much as converting it.
        var data = (byte*)gray.Data;
        var step = gray.Step();
        for (var y = 0; y < height; y++)
        {
            var source = new ReadOnlySpan<byte>(data + (y * step), width);
            var row = target.Slice(y * width, width);
            var x = 0;
            for (; x <= width - Vector128<byte>.Count; x += Vector128<byte>.Count)
            {
                var (low, high) = Vector128.Widen(Vector128.Create(source.Slice(x, Vector128<byte>.Count)));
                var (a, b) = Vector128.Widen(low);
                var (c, d) = Vector128.Widen(high);
                Vector128.ConvertToSingle(a).CopyTo(row.Slice(x));
                Vector128.ConvertToSingle(b).CopyTo(row.Slice(x + 4));
                Vector128.ConvertToSingle(c).CopyTo(row.Slice(x + 8));
                Vector128.ConvertToSingle(d).CopyTo(row.Slice(x + 12));
            }

            for (; x < width; x++)
            {
                row[x] = source[x];
            }
        }

        GC.KeepAlive(gray);
    }

    /// <summary>
    /// Writes the flow components <paramref name="u"/> (dx) and <paramref name="v"/> (dy), rows <paramref name="stride"/>
    /// apart (<paramref name="width"/> when 0), into a CV_32FC2 <paramref name="flow"/>.
    /// </summary>
    public unsafe void Store(ReadOnlySpan<float> u, ReadOnlySpan<float> v, int width, int height, Mat flow, int stride = 0)
    {
        stride = stride == 0 ? width : stride;
        flow.Create(height, width, MatType.CV_32FC2);
        var data = (byte*)flow.Data;
        var step = flow.Step();
        for (var y = 0; y < height; y++)
        {
            ReadOnlySpan<float> uRow = u.Slice(y * stride, width), vRow = v.Slice(y * stride, width);
            var target = new Span<float>(data + (y * step), 2 * width);
            for (var x = 0; x < width; x++)
            {
                (target[2 * x], target[(2 * x) + 1]) = (uRow[x], vRow[x]);
            }
        }

        GC.KeepAlive(flow);
    }
}
