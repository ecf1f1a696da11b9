using System.Numerics;
using OpenCvSharp;

namespace Video2TfRecord.Flow;

/// <summary>
/// A Gaussian pyramid of one gray frame with factor 0.5, as float buffers allocated once per frame size. Level
/// <c>l + 1</c> samples the smoothed level <c>l</c> at even coordinates: coarse pixel (i, j) sits on fine pixel
/// (2i, 2j), so a coarse side is <c>ceil(fine / 2)</c> and odd sizes lose no edge pixel.
/// </summary>
internal sealed class FlowPyramid
{
    // Pre-smoothing before halving, as in Sánchez et al. (IPOL 2013): sigma = 0.6 sqrt(1 / 0.5² - 1) ≈ 1.04 px.
    private const double SmoothingSigma = 1.0392304845413265;
    private const int SmoothingRadius = 3;

    private readonly float[][] _levels;
    private readonly int[] _widths;
    private readonly int[] _heights;
    private readonly float[] _weights;
    private readonly float[] _halfRows;
    private readonly FlowFrames _frames = new();

    /// <summary>
    /// Plans the levels for a <paramref name="width"/>×<paramref name="height"/> frame: at most
    /// <paramref name="maxLevels"/>, and no level whose smaller side is below <paramref name="minSide"/> (level 0 always exists).
    /// </summary>
    public FlowPyramid(int width, int height, int maxLevels, int minSide)
    {
        var count = 1;
        var (w, h) = (width, height);
        while (count < maxLevels && Math.Min((w + 1) / 2, (h + 1) / 2) >= minSide)
        {
            (w, h) = ((w + 1) / 2, (h + 1) / 2);
            count++;
        }

        (_levels, _widths, _heights) = (new float[count][], new int[count], new int[count]);
        (w, h) = (width, height);
        for (var l = 0; l < count; l++)
        {
            (_levels[l], _widths[l], _heights[l]) = (new float[w * h], w, h);
            (w, h) = ((w + 1) / 2, (h + 1) / 2);
        }

        _halfRows = new float[((width + 1) / 2) * height];
        _weights = new float[(2 * SmoothingRadius) + 1];
        double total = 0;
        for (var k = -SmoothingRadius; k <= SmoothingRadius; k++)
        {
            total += Math.Exp(-k * k / (2 * SmoothingSigma * SmoothingSigma));
        }

        for (var k = -SmoothingRadius; k <= SmoothingRadius; k++)
        {
            _weights[k + SmoothingRadius] = (float)(Math.Exp(-k * k / (2 * SmoothingSigma * SmoothingSigma)) / total);
        }
    }

    /// <summary>The number of levels; level 0 is the frame itself.</summary>
    public int Count => _levels.Length;

    /// <summary>The pixels of a level, row-major, values 0..255.</summary>
    public float[] this[int level] => _levels[level];

    /// <summary>The width of a level in pixels.</summary>
    public int Width(int level) => _widths[level];

    /// <summary>The height of a level in pixels.</summary>
    public int Height(int level) => _heights[level];

    /// <summary>Fills every level from an 8-bit gray frame of the planned size.</summary>
    public void Build(Mat gray)
    {
        _frames.Load(gray, _levels[0]);
        for (var l = 1; l < _levels.Length; l++)
        {
            Halve(_levels[l - 1], _widths[l - 1], _heights[l - 1], _levels[l]);
        }
    }

    /// <summary>
    /// Doubles a flow component from a coarse level to the next finer one: bilinear at half the fine coordinates,
    /// times 2 because displacements are in pixels of the level.
    /// </summary>
    public static void UpsampleFlow(ReadOnlySpan<float> coarse, int coarseWidth, int coarseHeight, Span<float> fine, int fineWidth, int fineHeight)
    {
        for (var y = 0; y < fineHeight; y++)
        {
            var y0 = Math.Min(y >> 1, coarseHeight - 1);
            var y1 = Math.Min(y0 + (y & 1), coarseHeight - 1);
            ReadOnlySpan<float> top = coarse.Slice(y0 * coarseWidth, coarseWidth), bottom = coarse.Slice(y1 * coarseWidth, coarseWidth);
            var row = fine.Slice(y * fineWidth, fineWidth);
            for (var x = 0; x < fineWidth; x++)
            {
                var x0 = Math.Min(x >> 1, coarseWidth - 1);
                var x1 = Math.Min(x0 + (x & 1), coarseWidth - 1);
                row[x] = 0.5f * (top[x0] + top[x1] + bottom[x0] + bottom[x1]);
            }
        }
    }

    // Smooths with the Gaussian and keeps the even rows and columns; mirrored at the edges (OpenCV's REFLECT_101).
    private void Halve(ReadOnlySpan<float> fine, int width, int height, Span<float> coarse)
    {
        var (halfWidth, halfHeight) = ((width + 1) / 2, (height + 1) / 2);
        var weights = _weights.AsSpan();
        for (var y = 0; y < height; y++)
        {
            var source = fine.Slice(y * width, width);
            var target = _halfRows.AsSpan(y * halfWidth, halfWidth);
            for (var j = 0; j < halfWidth; j++)
            {
                float sum = 0;
                for (var k = -SmoothingRadius; k <= SmoothingRadius; k++)
                {
                    sum += weights[k + SmoothingRadius] * source[Mirror((2 * j) + k, width)];
                }

                target[j] = sum;
            }
        }

        var lanes = Vector<float>.Count;
        for (var i = 0; i < halfHeight; i++)
        {
            var target = coarse.Slice(i * halfWidth, halfWidth);
            target.Clear();
            for (var k = -SmoothingRadius; k <= SmoothingRadius; k++)
            {
                var source = _halfRows.AsSpan(Mirror((2 * i) + k, height) * halfWidth, halfWidth);
                var weight = weights[k + SmoothingRadius];
                var j = 0;
                for (; j <= halfWidth - lanes; j += lanes)
                {
                    (new Vector<float>(target[j..]) + (weight * new Vector<float>(source[j..]))).CopyTo(target[j..]);
                }

                for (; j < halfWidth; j++)
                {
                    target[j] += weight * source[j];
                }
            }
        }
    }

    /// <summary>Index <paramref name="i"/> reflected into 0..length−1 without repeating the edge (OpenCV's BORDER_REFLECT_101).</summary>
    internal static int Mirror(int i, int length)
    {
        if (i < 0)
        {
            i = -i;
        }
        else if (i >= length)
        {
            i = (2 * length) - 2 - i;
        }

        return Math.Clamp(i, 0, length - 1);
    }
}
