using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OpenCvSharp;

namespace Video2TfRecord.Flow;

/// <summary>
/// Dense Inverse Search (Kroeger, Timofte, Dai and Van Gool, ECCV 2016): coarse to fine over a Gaussian pyramid, each
/// level places 8×8 patches of the earlier frame on a grid, finds each patch's displacement in the later frame by
/// inverse compositional Gauss-Newton search (mean-normalized, so uniform brightness changes do not matter), and
/// makes the flow dense by averaging the overlapping patches, each weighted by how well it explains the pixel.
/// Single-threaded and deterministic; after the first pair of a size it allocates nothing.
/// </summary>
internal sealed class DisFlow : IOpticalFlow
{
    /// <summary>The side of a patch in pixels: one 256-bit vector of floats per patch row.</summary>
    public const int PatchSize = 8;

    // The later frame's levels are padded by replicating their edges, so a patch may be sampled this far outside
    // without per-pixel clamping; displacements that would go further are clamped.
    private const int Pad = 16;

    private readonly DisParameters _parameters;
    private Buffers? _buffers;

    /// <summary>Creates the method with the default <see cref="DisParameters"/>.</summary>
    public DisFlow()
        : this(new DisParameters())
    {
    }

    /// <summary>Creates the method with <paramref name="parameters"/>, validated here.</summary>
    public DisFlow(DisParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        _parameters = parameters;
    }

    /// <inheritdoc/>
    public string Name => "dis";

    /// <inheritdoc/>
    public void Compute(Mat previous, Mat next, Mat flow)
    {
        var b = FlowLevels.Prepare(ref _buffers, previous, next, flow, _parameters, static (width, height, parameters) => new Buffers(width, height, parameters));
        for (var level = b.Coarsest; level >= 0; level--)
        {
            b.StartLevel(level);
            var (width, height) = (b.Previous.Width(level), b.Previous.Height(level));
            PadEdges(b.Next[level], width, height, b.Padded[level]);
            Gradient.Centered(b.Previous[level].AsSpan(0, width * height), width, height, b.Gx, b.Gy);
            var columns = Grid(width, _parameters.PatchStride, b.Columns);
            var rows = Grid(height, _parameters.PatchStride, b.Rows);
            Search(b, level, columns, rows);
            Densify(b, level, columns, rows);
        }

        b.Store(flow);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    // Patch corners every stride pixels, plus one flush with the far edge so that every pixel is covered.
    private static int Grid(int length, int stride, Span<int> corners)
    {
        var count = 0;
        for (var p = 0; p + PatchSize <= length; p += stride)
        {
            corners[count++] = p;
        }

        if (corners[count - 1] != length - PatchSize)
        {
            corners[count++] = length - PatchSize;
        }

        return count;
    }

    private static void PadEdges(ReadOnlySpan<float> image, int width, int height, Span<float> padded)
    {
        var paddedWidth = width + (2 * Pad);
        for (var y = 0; y < height + (2 * Pad); y++)
        {
            var source = image.Slice(Math.Clamp(y - Pad, 0, height - 1) * width, width);
            var target = padded.Slice(y * paddedWidth, paddedWidth);
            target[..Pad].Fill(source[0]);
            source.CopyTo(target[Pad..]);
            target[(Pad + width)..].Fill(source[width - 1]);
        }
    }

    // Inverse compositional search: the template (this frame's patch) and its gradient are fixed, so the 2×2
    // Gauss-Newton matrix is computed once per patch, and each iteration only samples the later frame.
    private void Search(Buffers b, int level, int columns, int rows)
    {
        var (width, height) = (b.Previous.Width(level), b.Previous.Height(level));
        ReadOnlySpan<float> image = b.Previous[level], gx = b.Gx, gy = b.Gy, padded = b.Padded[level];
        ReadOnlySpan<float> u = b.U[level], v = b.V[level];
        Span<float> centeredX = stackalloc float[PatchSize * PatchSize];
        Span<float> centeredY = stackalloc float[PatchSize * PatchSize];
        for (var j = 0; j < rows; j++)
        {
            for (var k = 0; k < columns; k++)
            {
                var (left, top) = (b.Columns[k], b.Rows[j]);
                var center = ((top + (PatchSize / 2) - 1) * width) + left + (PatchSize / 2) - 1;
                var startU = 0.25f * (u[center] + u[center + 1] + u[center + width] + u[center + width + 1]);
                var startV = 0.25f * (v[center] + v[center + 1] + v[center + width] + v[center + width + 1]);

                // Mean normalization: the residual's mean is a brightness offset, not motion; with zero-mean
                // gradients it drops out of the normal equations.
                var (sumX, sumY) = (Vector256<float>.Zero, Vector256<float>.Zero);
                for (var r = 0; r < PatchSize; r++)
                {
                    var o = ((top + r) * width) + left;
                    sumX += Load(gx, o);
                    sumY += Load(gy, o);
                }

                var (meanX, meanY) = (Vector256.Create(Vector256.Sum(sumX) / 64), Vector256.Create(Vector256.Sum(sumY) / 64));
                var (hxx, hxy, hyy) = (Vector256<float>.Zero, Vector256<float>.Zero, Vector256<float>.Zero);
                for (var r = 0; r < PatchSize; r++)
                {
                    var o = ((top + r) * width) + left;
                    var (cx, cy) = (Load(gx, o) - meanX, Load(gy, o) - meanY);
                    Store(cx, centeredX, r * PatchSize);
                    Store(cy, centeredY, r * PatchSize);
                    hxx += cx * cx;
                    hxy += cx * cy;
                    hyy += cy * cy;
                }

                var (axx, axy, ayy) = (Vector256.Sum(hxx), Vector256.Sum(hxy), Vector256.Sum(hyy));
                var determinant = (axx * ayy) - (axy * axy);
                var (du, dv) = (startU, startV);

                // A flat or one-directional patch cannot be placed: keep the coarser level's estimate.
                if (determinant > 1e-3f * (1 + (axx * ayy)))
                {
                    for (var iteration = 0; iteration < _parameters.Iterations; iteration++)
                    {
                        (du, dv) = Clamp(du, dv, left, top, width, height);
                        var (bx, by) = Project(padded, width + (2 * Pad), left + Pad + du, top + Pad + dv, image, (top * width) + left, width, centeredX, centeredY);
                        var stepU = ((ayy * bx) - (axy * by)) / determinant;
                        var stepV = ((axx * by) - (axy * bx)) / determinant;
                        du -= stepU;
                        dv -= stepV;
                        if ((stepU * stepU) + (stepV * stepV) < 1e-6f)
                        {
                            break;
                        }
                    }

                    // A patch that wandered further than its own size has most likely locked onto something else.
                    if (!(((du - startU) * (du - startU)) + ((dv - startV) * (dv - startV)) <= PatchSize * PatchSize))
                    {
                        (du, dv) = (startU, startV);
                    }
                }

                (du, dv) = Clamp(du, dv, left, top, width, height);
                b.PatchU[(j * columns) + k] = du;
                b.PatchV[(j * columns) + k] = dv;
            }
        }
    }

    // Keeps the sampled window (9×9 pixels: 8×8 plus the bilinear neighbor) inside the padded frame: the vector
    // loads are unchecked. NaN would pass Math.Clamp, so it becomes 0.
    private static (float U, float V) Clamp(float u, float v, int left, int top, int width, int height) =>
        (Math.Clamp(float.IsNaN(u) ? 0 : u, -Pad - left, width + Pad - PatchSize - 1 - left),
         Math.Clamp(float.IsNaN(v) ? 0 : v, -Pad - top, height + Pad - PatchSize - 1 - top));

    // Samples the later frame's patch at (x, y) in padded coordinates, bilinear with weights shared by the whole
    // patch, and returns the sums of centered gradient times the residual against the template.
    private static (float X, float Y) Project(
        ReadOnlySpan<float> padded,
        int paddedWidth,
        float x,
        float y,
        ReadOnlySpan<float> image,
        int templateOffset,
        int width,
        ReadOnlySpan<float> centeredX,
        ReadOnlySpan<float> centeredY)
    {
        var (x0, y0) = ((int)MathF.Floor(x), (int)MathF.Floor(y));
        var (fx, fy) = (Vector256.Create(x - x0), Vector256.Create(y - y0));
        var o = (y0 * paddedWidth) + x0;
        var above = Lerp(Load(padded, o), Load(padded, o + 1), fx);
        var (sumX, sumY) = (Vector256<float>.Zero, Vector256<float>.Zero);
        for (var r = 0; r < PatchSize; r++)
        {
            o += paddedWidth;
            var below = Lerp(Load(padded, o), Load(padded, o + 1), fx);
            var residual = Lerp(above, below, fy) - Load(image, templateOffset + (r * width));
            sumX += Load(centeredX, r * PatchSize) * residual;
            sumY += Load(centeredY, r * PatchSize) * residual;
            above = below;
        }

        return (Vector256.Sum(sumX), Vector256.Sum(sumY));
    }

    // Every pixel's flow is the average of the patches covering it, each weighted by 1 / max(1, |residual|) there.
    private static void Densify(Buffers b, int level, int columns, int rows)
    {
        var (width, height) = (b.Previous.Width(level), b.Previous.Height(level));
        var n = width * height;
        ReadOnlySpan<float> image = b.Previous[level], padded = b.Padded[level];
        Span<float> weights = b.Weights.AsSpan(0, n), sumU = b.SumU.AsSpan(0, n), sumV = b.SumV.AsSpan(0, n);
        weights.Clear();
        sumU.Clear();
        sumV.Clear();
        var paddedWidth = width + (2 * Pad);
        var one = Vector256<float>.One;
        for (var j = 0; j < rows; j++)
        {
            for (var k = 0; k < columns; k++)
            {
                var (left, top) = (b.Columns[k], b.Rows[j]);
                var (du, dv) = (b.PatchU[(j * columns) + k], b.PatchV[(j * columns) + k]);
                var (x, y) = (left + Pad + du, top + Pad + dv);
                var (x0, y0) = ((int)MathF.Floor(x), (int)MathF.Floor(y));
                var (fx, fy) = (Vector256.Create(x - x0), Vector256.Create(y - y0));
                var (vu, vv) = (Vector256.Create(du), Vector256.Create(dv));
                var o = (y0 * paddedWidth) + x0;
                var above = Lerp(Load(padded, o), Load(padded, o + 1), fx);
                for (var r = 0; r < PatchSize; r++)
                {
                    o += paddedWidth;
                    var below = Lerp(Load(padded, o), Load(padded, o + 1), fx);
                    var t = ((top + r) * width) + left;
                    var residual = Vector256.Abs(Lerp(above, below, fy) - Load(image, t));
                    var weight = one / Vector256.Max(one, residual);
                    Store(Load(weights, t) + weight, weights, t);
                    Store(Load(sumU, t) + (weight * vu), sumU, t);
                    Store(Load(sumV, t) + (weight * vv), sumV, t);
                    above = below;
                }
            }
        }

        Span<float> u = b.U[level], v = b.V[level];
        for (var i = 0; i < n; i++)
        {
            u[i] = sumU[i] / weights[i];
            v[i] = sumV[i] / weights[i];
        }
    }

    private static Vector256<float> Lerp(Vector256<float> a, Vector256<float> b, Vector256<float> t) => a + (t * (b - a));

    // Callers keep i + 8 within the span (patches lie inside their level, samples inside the padding).
    private static Vector256<float> Load(ReadOnlySpan<float> span, int i)
    {
        Debug.Assert(i >= 0 && i + Vector256<float>.Count <= span.Length, "vector load in bounds");
        return Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(span), (nuint)i);
    }

    private static void Store(Vector256<float> value, Span<float> span, int i)
    {
        Debug.Assert(i >= 0 && i + Vector256<float>.Count <= span.Length, "vector store in bounds");
        value.StoreUnsafe(ref MemoryMarshal.GetReference(span), (nuint)i);
    }

    private sealed class Buffers : FlowLevels
    {
        public Buffers(int width, int height, DisParameters parameters)
            : base(width, height, parameters.Scales, parameters.MinSide)
        {
            Padded = new float[Previous.Count][];
            for (var l = 0; l < Previous.Count; l++)
            {
                var (w, h) = (Previous.Width(l), Previous.Height(l));
                Padded[l] = new float[(w + (2 * Pad)) * (h + (2 * Pad))];
            }

            var n = width * height;
            (Gx, Gy, Weights, SumU, SumV) = (new float[n], new float[n], new float[n], new float[n], new float[n]);
            (Columns, Rows) = (new int[(width / parameters.PatchStride) + 2], new int[(height / parameters.PatchStride) + 2]);
            (PatchU, PatchV) = (new float[Columns.Length * Rows.Length], new float[Columns.Length * Rows.Length]);
        }

        public float[][] Padded { get; }

        public float[] Gx { get; }

        public float[] Gy { get; }

        public float[] Weights { get; }

        public float[] SumU { get; }

        public float[] SumV { get; }

        public int[] Columns { get; }

        public int[] Rows { get; }

        public float[] PatchU { get; }

        public float[] PatchV { get; }
    }
}
