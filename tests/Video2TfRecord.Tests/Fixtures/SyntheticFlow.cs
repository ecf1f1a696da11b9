using OpenCvSharp;

namespace Video2TfRecord.Tests.Fixtures;

/// <summary>
/// A synthetic frame pair with its true flow: <c>Previous(p) = Next(p + flow(p))</c>, and the pixels on which
/// estimates are scored. Also linked into the benchmarks, so it uses nothing from xunit.
/// </summary>
public sealed class FlowPair : IDisposable
{
    public FlowPair(Mat previous, Mat next, float[] trueFlow, bool[] scored)
    {
        Previous = previous;
        Next = next;
        TrueFlow = trueFlow;
        Scored = scored;
    }

    /// <summary>The earlier frame, 8-bit gray.</summary>
    public Mat Previous { get; }

    /// <summary>The later frame, 8-bit gray.</summary>
    public Mat Next { get; }

    /// <summary>The true flow, interleaved (dx, dy) per pixel, row-major.</summary>
    public float[] TrueFlow { get; }

    /// <summary>Whether a pixel counts in the error: away from the frame border and from motion boundaries.</summary>
    public bool[] Scored { get; }

    public int Width => Previous.Width;

    public int Height => Previous.Height;

    public void Dispose()
    {
        Previous.Dispose();
        Next.Dispose();
    }
}

/// <summary>Makes <see cref="FlowPair"/>s from a smooth random texture and scores flow estimates against them.</summary>
public static class SyntheticFlow
{
    /// <summary>Flow is stored clipped to ±this many pixels and mapped to 0..255.</summary>
    public const float StoredRange = 20f;

    /// <summary>Pixels this close to the frame edge are not scored: no method can see what enters the frame.</summary>
    public const int Border = 8;

    /// <summary>Pixels this close to a motion boundary are not scored.</summary>
    public const int BoundaryMargin = 6;

    /// <summary>The whole frame moves by (<paramref name="dx"/>, <paramref name="dy"/>) pixels.</summary>
    public static FlowPair Translation(int width, int height, double dx, double dy, int seed = 1)
    {
        using var texture = Texture(width + 64, height + 64, seed);
        using var moved = new Mat();
        using var shift = Affine(1, 0, dx, 0, 1, dy);
        Cv2.WarpAffine(texture, moved, shift, texture.Size(), InterpolationFlags.Cubic, BorderTypes.Reflect101);
        var flow = new float[width * height * 2];
        for (var i = 0; i < width * height; i++)
        {
            flow[2 * i] = (float)dx;
            flow[(2 * i) + 1] = (float)dy;
        }

        return new FlowPair(Center(texture, width, height), Center(moved, width, height), flow, Interior(width, height));
    }

    /// <summary>The frame turns by <paramref name="degrees"/> counter-clockwise (as displayed, y down) about its center.</summary>
    public static FlowPair Rotation(int width, int height, double degrees, int seed = 1)
    {
        // Rotate a larger texture about its center and crop the middle, so that no border pixels enter the frame.
        var margin = 32 + (Math.Max(width, height) / 4);
        using var texture = Texture(width + (2 * margin), height + (2 * margin), seed);
        var center = new Point2f((texture.Width - 1) / 2f, (texture.Height - 1) / 2f);
        using var rotation = Cv2.GetRotationMatrix2D(center, degrees, 1);
        using var rotated = new Mat();
        Cv2.WarpAffine(texture, rotated, rotation, texture.Size(), InterpolationFlags.Cubic, BorderTypes.Reflect101);

        // WarpAffine writes rotated(M p) = texture(p), so a pixel at p moves to M p.
        var m = new double[6];
        for (var i = 0; i < 6; i++)
        {
            m[i] = rotation.At<double>(i / 3, i % 3);
        }

        var (left, top) = ((texture.Width - width) / 2, (texture.Height - height) / 2);
        var flow = new float[width * height * 2];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (px, py) = (x + left, y + top);
                flow[2 * ((y * width) + x)] = (float)((m[0] * px) + (m[1] * py) + m[2] - px);
                flow[(2 * ((y * width) + x)) + 1] = (float)((m[3] * px) + (m[4] * py) + m[5] - py);
            }
        }

        return new FlowPair(Center(texture, width, height), Center(rotated, width, height), flow, Interior(width, height));
    }

    /// <summary>
    /// A square of another texture, a third of the frame wide, moves by (<paramref name="dx"/>, <paramref name="dy"/>)
    /// over a static background. Pixels near the square's edge in the first frame are not scored.
    /// </summary>
    public static FlowPair MovingSquare(int width, int height, double dx, double dy, int seed = 1)
    {
        using var background = Texture(width, height, seed);
        using var foreground = Texture(width, height, seed + 100);
        var side = Math.Min(width, height) / 3;
        var square = new Rect((width - side) / 2, (height - side) / 2, side, side);
        using var mask = new Mat(height, width, MatType.CV_8UC1, Scalar.All(0));
        mask[square].SetTo(Scalar.All(255));

        using var shift = Affine(1, 0, dx, 0, 1, dy);
        using var movedForeground = new Mat();
        using var movedMask = new Mat();
        Cv2.WarpAffine(foreground, movedForeground, shift, foreground.Size(), InterpolationFlags.Cubic, BorderTypes.Reflect101);
        Cv2.WarpAffine(mask, movedMask, shift, mask.Size(), InterpolationFlags.Linear, BorderTypes.Constant);

        var previous = background.Clone();
        foreground.CopyTo(previous, mask);
        var next = Blend(background, movedForeground, movedMask);

        var flow = new float[width * height * 2];
        var scored = Interior(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = (y * width) + x;
                if (square.Contains(x, y))
                {
                    flow[2 * i] = (float)dx;
                    flow[(2 * i) + 1] = (float)dy;
                }

                // The distance to the square's outline, and to where it ends up, on either side.
                if (NearOutline(square, x, y) || NearOutline(square, x - dx, y - dy))
                {
                    scored[i] = false;
                }
            }
        }

        return new FlowPair(previous, next, flow, scored);
    }

    /// <summary>
    /// The mean endpoint error, in pixels, over the scored pixels, of <paramref name="flow"/> (CV_32FC2) after it
    /// is stored: each component clipped to ±<see cref="StoredRange"/>, mapped to 0..255, rounded and mapped back.
    /// </summary>
    public static double StoredEndpointError(FlowPair pair, Mat flow)
    {
        if (flow.Type() != MatType.CV_32FC2 || flow.Width != pair.Width || flow.Height != pair.Height)
        {
            throw new ArgumentException($"expected a {pair.Width}x{pair.Height} CV_32FC2 flow, got {flow.Width}x{flow.Height} {flow.Type()}", nameof(flow));
        }

        double sum = 0;
        var count = 0;
        for (var y = 0; y < pair.Height; y++)
        {
            for (var x = 0; x < pair.Width; x++)
            {
                var i = (y * pair.Width) + x;
                if (!pair.Scored[i])
                {
                    continue;
                }

                var estimate = flow.At<Vec2f>(y, x);
                var ex = Stored(estimate.Item0) - pair.TrueFlow[2 * i];
                var ey = Stored(estimate.Item1) - pair.TrueFlow[(2 * i) + 1];
                sum += Math.Sqrt((ex * ex) + (ey * ey));
                count++;
            }
        }

        return sum / count;
    }

    /// <summary>A flow component as it reads back after the ±20 px → 0..255 round trip.</summary>
    public static double Stored(float value)
    {
        var clipped = Math.Clamp((double)value, -StoredRange, StoredRange);
        var level = Math.Round((clipped + StoredRange) * 255 / (2 * StoredRange), MidpointRounding.AwayFromZero);
        return (level * 2 * StoredRange / 255) - StoredRange;
    }

    /// <summary>Gaussian-blurred uniform noise (sigma 2.5 px), stretched to 0..255: smooth, textured everywhere.</summary>
    public static Mat Texture(int width, int height, int seed)
    {
        var random = new Random(seed);
        using var noise = new Mat(height, width, MatType.CV_32FC1);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                noise.Set(y, x, (float)random.NextDouble());
            }
        }

        using var smooth = new Mat();
        Cv2.GaussianBlur(noise, smooth, new Size(0, 0), 2.5, 2.5, BorderTypes.Reflect101);
        using var stretched = new Mat();
        Cv2.Normalize(smooth, stretched, 0, 255, NormTypes.MinMax);
        var texture = new Mat();
        stretched.ConvertTo(texture, MatType.CV_8UC1);
        return texture;
    }

    private static Mat Affine(double a, double b, double c, double d, double e, double f)
    {
        var m = new Mat(2, 3, MatType.CV_64FC1);
        m.Set(0, 0, a);
        m.Set(0, 1, b);
        m.Set(0, 2, c);
        m.Set(1, 0, d);
        m.Set(1, 1, e);
        m.Set(1, 2, f);
        return m;
    }

    private static Mat Center(Mat source, int width, int height)
    {
        using var view = new Mat(source, new Rect((source.Width - width) / 2, (source.Height - height) / 2, width, height));
        return view.Clone();
    }

    private static Mat Blend(Mat background, Mat foreground, Mat alpha)
    {
        var (width, height) = (background.Width, background.Height);
        var result = new Mat(height, width, MatType.CV_8UC1);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var a = alpha.At<byte>(y, x) / 255.0;
                var value = (a * foreground.At<byte>(y, x)) + ((1 - a) * background.At<byte>(y, x));
                result.Set(y, x, (byte)Math.Round(value));
            }
        }

        return result;
    }

    private static bool[] Interior(int width, int height)
    {
        var scored = new bool[width * height];
        for (var y = Border; y < height - Border; y++)
        {
            for (var x = Border; x < width - Border; x++)
            {
                scored[(y * width) + x] = true;
            }
        }

        return scored;
    }

    private static bool NearOutline(Rect square, double x, double y)
    {
        var inside = x >= square.Left && x < square.Right && y >= square.Top && y < square.Bottom;
        var distance = inside
            ? Math.Min(Math.Min(x - square.Left, square.Right - 1 - x), Math.Min(y - square.Top, square.Bottom - 1 - y))
            : Math.Max(Math.Max(square.Left - x, x - (square.Right - 1)), Math.Max(square.Top - y, y - (square.Bottom - 1)));
        return distance < BoundaryMargin;
    }
}
