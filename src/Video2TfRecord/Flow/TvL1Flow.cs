using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using OpenCvSharp;

namespace Video2TfRecord.Flow;

/// <summary>
/// TV-L1 optical flow (Zach, Pock and Bischof 2007) as described by Sánchez, Meinhardt-Llopis and Facciolo,
/// "TV-L1 Optical Flow Estimation", IPOL 2013: coarse to fine over a Gaussian pyramid, several bicubic warps per
/// level, and per warp the alternation of the pointwise thresholding step with Chambolle's dual projection for the
/// total variation. Single-threaded and deterministic; after the first pair of a size it allocates nothing.
/// </summary>
internal sealed class TvL1Flow : IOpticalFlow
{
    private readonly TvL1Parameters _parameters;
    private Buffers? _buffers;

    /// <summary>Creates the method with the default <see cref="TvL1Parameters"/>.</summary>
    public TvL1Flow()
        : this(new TvL1Parameters())
    {
    }

    /// <summary>Creates the method with <paramref name="parameters"/>, validated here.</summary>
    public TvL1Flow(TvL1Parameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        _parameters = parameters;
    }

    /// <inheritdoc/>
    public string Name => "tvl1";

    /// <inheritdoc/>
    public void Compute(Mat previous, Mat next, Mat flow)
    {
        var b = FlowLevels.Prepare(ref _buffers, previous, next, flow, _parameters, static (width, height, parameters) => new Buffers(width, height, parameters));
        for (var level = b.Coarsest; level >= 0; level--)
        {
            b.StartLevel(level);
            SolveLevel(b, level);
        }

        b.Store(flow);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private void SolveLevel(Buffers b, int level)
    {
        var (width, height) = (b.Previous.Width(level), b.Previous.Height(level));
        var n = width * height;
        ReadOnlySpan<float> i0 = b.Previous[level].AsSpan(0, n), i1 = b.Next[level].AsSpan(0, n);
        Span<float> u = b.U[level].AsSpan(0, n), v = b.V[level].AsSpan(0, n);
        Gradient.Centered(i1, width, height, b.I1X.AsSpan(0, n), b.I1Y.AsSpan(0, n));
        b.P11.AsSpan(0, n).Clear();
        b.P12.AsSpan(0, n).Clear();
        b.P21.AsSpan(0, n).Clear();
        b.P22.AsSpan(0, n).Clear();

        var stop = _parameters.Epsilon * _parameters.Epsilon;
        for (var warp = 0; warp < _parameters.Warps; warp++)
        {
            Linearize(b, i0, i1, u, v, width, height);
            for (var iteration = 0; iteration < _parameters.MaxIterations; iteration++)
            {
                if (Iterate(b, u, v, width, height) <= stop)
                {
                    break;
                }
            }

            if (_parameters.MedianFilter)
            {
                Median3x3(u, width, height, b.Scratch);
                Median3x3(v, width, height, b.Scratch);
            }
        }
    }

    // Warps the next frame and its gradient by the current flow (bicubic, Keys a = -0.5, edges replicated) and
    // stores the linearized data term: rho(u) = RhoC + Ix u + Iy v, and 1 / |grad I|^2 for the thresholding.
    private static void Linearize(Buffers b, ReadOnlySpan<float> i0, ReadOnlySpan<float> i1, ReadOnlySpan<float> u, ReadOnlySpan<float> v, int width, int height)
    {
        ReadOnlySpan<float> i1x = b.I1X, i1y = b.I1Y;
        Span<float> ix = b.Ix, iy = b.Iy, inverse = b.InverseNorm, rhoC = b.RhoC;
        Span<int> columns = stackalloc int[4];
        Span<int> rows = stackalloc int[4];
        Span<float> wx = stackalloc float[4];
        Span<float> wy = stackalloc float[4];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var p = (y * width) + x;
                var (sx, sy) = (x + u[p], y + v[p]);
                var (fx, fy) = (MathF.Floor(sx), MathF.Floor(sy));
                CubicWeights(sx - fx, wx);
                CubicWeights(sy - fy, wy);
                var (cx, cy) = ((int)Math.Clamp(fx, -2, width + 1), (int)Math.Clamp(fy, -2, height + 1));
                for (var k = 0; k < 4; k++)
                {
                    columns[k] = Math.Clamp(cx - 1 + k, 0, width - 1);
                    rows[k] = Math.Clamp(cy - 1 + k, 0, height - 1) * width;
                }

                float warped = 0, warpedX = 0, warpedY = 0;
                for (var r = 0; r < 4; r++)
                {
                    float lineI = 0, lineX = 0, lineY = 0;
                    for (var c = 0; c < 4; c++)
                    {
                        var q = rows[r] + columns[c];
                        lineI += wx[c] * i1[q];
                        lineX += wx[c] * i1x[q];
                        lineY += wx[c] * i1y[q];
                    }

                    warped += wy[r] * lineI;
                    warpedX += wy[r] * lineX;
                    warpedY += wy[r] * lineY;
                }

                var norm = (warpedX * warpedX) + (warpedY * warpedY);
                ix[p] = warpedX;
                iy[p] = warpedY;
                inverse[p] = norm > 1e-10f ? 1 / norm : 0;
                rhoC[p] = warped - (warpedX * u[p]) - (warpedY * v[p]) - i0[p];
            }
        }
    }

    private static void CubicWeights(float t, Span<float> weights)
    {
        var (t2, t3) = (t * t, t * t * t);
        weights[0] = (-0.5f * t3) + t2 - (0.5f * t);
        weights[1] = (1.5f * t3) - (2.5f * t2) + 1;
        weights[2] = (-1.5f * t3) + (2 * t2) + (0.5f * t);
        weights[3] = (0.5f * t3) - (0.5f * t2);
    }

    // One iteration over the level, returning the mean squared change of the flow. Rows are pipelined: the flow of
    // row y needs the dual variables of rows y and y - 1 as they were, and the dual update of row y - 1 needs the
    // new flow of rows y - 1 and y, so row y - 1's dual is updated right after row y's flow. The result is the same
    // as two full passes, with the working set in cache.
    private float Iterate(Buffers b, Span<float> u, Span<float> v, int width, int height)
    {
        var error = Vector<float>.Zero;
        float tailError = 0;
        for (var y = 0; y < height; y++)
        {
            tailError += UpdateFlowRow(b, u, v, width, y, ref error);
            if (y > 0)
            {
                UpdateDualRow(b, u, v, width, y - 1, y);
            }
        }

        UpdateDualRow(b, u, v, width, height - 1, height - 1);
        return (tailError + Vector.Sum(error)) / (width * height);
    }

    // Thresholding (the pointwise minimizer of the linearized L1 data term plus the coupling term), then
    // u = v + theta div p.
    private float UpdateFlowRow(Buffers b, Span<float> u, Span<float> v, int width, int y, ref Vector<float> error)
    {
        var (o, above) = (y * width, (y - 1) * width);
        ReadOnlySpan<float> ix = b.Ix.AsSpan(o, width), iy = b.Iy.AsSpan(o, width);
        ReadOnlySpan<float> inverse = b.InverseNorm.AsSpan(o, width), rhoC = b.RhoC.AsSpan(o, width);
        ReadOnlySpan<float> p11 = b.P11.AsSpan(o, width), p21 = b.P21.AsSpan(o, width);
        ReadOnlySpan<float> p12 = b.P12.AsSpan(o, width), p22 = b.P22.AsSpan(o, width);
        ReadOnlySpan<float> p12Above = y > 0 ? b.P12.AsSpan(above, width) : b.ZeroRow.AsSpan(0, width);
        ReadOnlySpan<float> p22Above = y > 0 ? b.P22.AsSpan(above, width) : b.ZeroRow.AsSpan(0, width);
        Span<float> uRow = u.Slice(o, width), vRow = v.Slice(o, width);
        var (limit, theta) = (_parameters.Lambda * _parameters.Theta, _parameters.Theta);

        var (vLimit, vTheta) = (new Vector<float>(limit), new Vector<float>(theta));
        var lanes = Vector<float>.Count;
        float scalarError = 0;
        var x = 0;
        while (x < width)
        {
            // Vectors need the left neighbor, so column 0 and the columns past the last full vector are scalar.
            if (x > 0 && x <= width - lanes)
            {
                var (gx, gy) = (Load(ix, x), Load(iy, x));
                var (u0, v0) = (Load(uRow, x), Load(vRow, x));
                var rho = Load(rhoC, x) + (gx * u0) + (gy * v0);
                var step = Vector.Min(Vector.Max(rho * Load(inverse, x), -vLimit), vLimit);
                var div1 = Load(p11, x) - Load(p11, x - 1) + Load(p12, x) - Load(p12Above, x);
                var div2 = Load(p21, x) - Load(p21, x - 1) + Load(p22, x) - Load(p22Above, x);
                var u1 = u0 - (step * gx) + (vTheta * div1);
                var v1 = v0 - (step * gy) + (vTheta * div2);
                var (du, dv) = (u1 - u0, v1 - v0);
                error += (du * du) + (dv * dv);
                Store(u1, uRow, x);
                Store(v1, vRow, x);
                x += lanes;
            }
            else
            {
                var (gx, gy, u0, v0) = (ix[x], iy[x], uRow[x], vRow[x]);
                var (p11Left, p21Left) = x > 0 ? (p11[x - 1], p21[x - 1]) : (0, 0);
                var rho = rhoC[x] + (gx * u0) + (gy * v0);
                var step = Math.Clamp(rho * inverse[x], -limit, limit);
                var u1 = u0 - (step * gx) + (theta * (p11[x] - p11Left + p12[x] - p12Above[x]));
                var v1 = v0 - (step * gy) + (theta * (p21[x] - p21Left + p22[x] - p22Above[x]));
                uRow[x] = u1;
                vRow[x] = v1;
                scalarError += ((u1 - u0) * (u1 - u0)) + ((v1 - v0) * (v1 - v0));
                x++;
            }
        }

        return scalarError;
    }

    // Chambolle's projection step for the dual of each flow component: p = (p + tau/theta grad u) / (1 + tau/theta |grad u|),
    // with forward differences that are zero past the last column and row (row == below on the last row).
    private void UpdateDualRow(Buffers b, ReadOnlySpan<float> u, ReadOnlySpan<float> v, int width, int row, int below)
    {
        var o = row * width;
        ReadOnlySpan<float> uRow = u.Slice(o, width), vRow = v.Slice(o, width);
        ReadOnlySpan<float> uBelow = u.Slice(below * width, width), vBelow = v.Slice(below * width, width);
        Span<float> p11 = b.P11.AsSpan(o, width), p12 = b.P12.AsSpan(o, width);
        Span<float> p21 = b.P21.AsSpan(o, width), p22 = b.P22.AsSpan(o, width);
        var step = _parameters.Tau / _parameters.Theta;

        var lanes = Vector<float>.Count;
        var x = 0;
        var vStep = new Vector<float>(step);
        for (; x <= width - 1 - lanes; x += lanes)
        {
            var (u0, v0) = (Load(uRow, x), Load(vRow, x));
            var (ux, uy) = (Load(uRow, x + 1) - u0, Load(uBelow, x) - u0);
            var (vx, vy) = (Load(vRow, x + 1) - v0, Load(vBelow, x) - v0);
            var uScale = Vector<float>.One / (Vector<float>.One + (vStep * Vector.SquareRoot((ux * ux) + (uy * uy))));
            var vScale = Vector<float>.One / (Vector<float>.One + (vStep * Vector.SquareRoot((vx * vx) + (vy * vy))));
            Store((Load(p11, x) + (vStep * ux)) * uScale, p11, x);
            Store((Load(p12, x) + (vStep * uy)) * uScale, p12, x);
            Store((Load(p21, x) + (vStep * vx)) * vScale, p21, x);
            Store((Load(p22, x) + (vStep * vy)) * vScale, p22, x);
        }

        for (; x < width; x++)
        {
            var last = x == width - 1;
            var (ux, uy) = (last ? 0 : uRow[x + 1] - uRow[x], uBelow[x] - uRow[x]);
            var (vx, vy) = (last ? 0 : vRow[x + 1] - vRow[x], vBelow[x] - vRow[x]);
            var uScale = 1 / (1 + (step * MathF.Sqrt((ux * ux) + (uy * uy))));
            var vScale = 1 / (1 + (step * MathF.Sqrt((vx * vx) + (vy * vy))));
            p11[x] = (p11[x] + (step * ux)) * uScale;
            p12[x] = (p12[x] + (step * uy)) * uScale;
            p21[x] = (p21[x] + (step * vx)) * vScale;
            p22[x] = (p22[x] + (step * vy)) * vScale;
        }
    }

    private static void Median3x3(Span<float> component, int width, int height, Span<float> scratch)
    {
        Debug.Assert(width * height <= scratch.Length, "scratch holds a level");
        component[..(width * height)].CopyTo(scratch);
        for (var y = 0; y < height; y++)
        {
            var (above, row, below) = (Math.Max(y - 1, 0) * width, y * width, Math.Min(y + 1, height - 1) * width);
            for (var x = 0; x < width; x++)
            {
                var (left, right) = (Math.Max(x - 1, 0), Math.Min(x + 1, width - 1));
                component[row + x] = MedianOf9(
                    scratch[above + left], scratch[above + x], scratch[above + right],
                    scratch[row + left], scratch[row + x], scratch[row + right],
                    scratch[below + left], scratch[below + x], scratch[below + right]);
            }
        }
    }

    // The 19-exchange selection network for the median of nine (Paeth, Graphics Gems, 1990).
    private static float MedianOf9(float p0, float p1, float p2, float p3, float p4, float p5, float p6, float p7, float p8)
    {
        Order(ref p1, ref p2);
        Order(ref p4, ref p5);
        Order(ref p7, ref p8);
        Order(ref p0, ref p1);
        Order(ref p3, ref p4);
        Order(ref p6, ref p7);
        Order(ref p1, ref p2);
        Order(ref p4, ref p5);
        Order(ref p7, ref p8);
        Order(ref p0, ref p3);
        Order(ref p5, ref p8);
        Order(ref p4, ref p7);
        Order(ref p3, ref p6);
        Order(ref p1, ref p4);
        Order(ref p2, ref p5);
        Order(ref p4, ref p7);
        Order(ref p4, ref p2);
        Order(ref p6, ref p4);
        Order(ref p4, ref p2);
        return p4;

        static void Order(ref float a, ref float b) => (a, b) = (MathF.Min(a, b), MathF.Max(a, b));
    }

    // Loop bounds guarantee lanes elements from i; the checked Vector<T>(span) constructor costs ~30 % here.
    private static Vector<float> Load(ReadOnlySpan<float> span, int i)
    {
        Debug.Assert(i >= 0 && i + Vector<float>.Count <= span.Length, "vector load in bounds");
        return Vector.LoadUnsafe(ref MemoryMarshal.GetReference(span), (nuint)i);
    }

    private static void Store(Vector<float> value, Span<float> span, int i)
    {
        Debug.Assert(i >= 0 && i + Vector<float>.Count <= span.Length, "vector store in bounds");
        value.StoreUnsafe(ref MemoryMarshal.GetReference(span), (nuint)i);
    }

    private sealed class Buffers : FlowLevels
    {
        public Buffers(int width, int height, TvL1Parameters parameters)
            : base(width, height, parameters.Scales, parameters.MinSide)
        {
            var n = width * height;
            (I1X, I1Y, Ix, Iy, InverseNorm, RhoC) = (new float[n], new float[n], new float[n], new float[n], new float[n], new float[n]);
            (P11, P12, P21, P22, Scratch, ZeroRow) = (new float[n], new float[n], new float[n], new float[n], new float[n], new float[width]);
        }

        public float[] I1X { get; }

        public float[] I1Y { get; }

        public float[] Ix { get; }

        public float[] Iy { get; }

        public float[] InverseNorm { get; }

        public float[] RhoC { get; }

        public float[] P11 { get; }

        public float[] P12 { get; }

        public float[] P21 { get; }

        public float[] P22 { get; }

        public float[] Scratch { get; }

        public float[] ZeroRow { get; }
    }
}
