using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OpenCvSharp;

namespace Video2TfRecord.Flow;

/// <summary>
/// Gunnar Farnebäck's two-frame motion estimation ("Two-Frame Motion Estimation Based on Polynomial Expansion", SCIA
/// 2003), written to give what OpenCV's <c>calcOpticalFlowFarneback</c> gives with the box window (its flags 0): coarse
/// to fine over levels made from the frame itself (Gaussian blur, then bilinear resize), each level's neighborhoods
/// approximated by quadratic polynomials (a Gaussian-weighted least-squares fit, done as separable filters), and the
/// displacement found by averaging the polynomials' equations over a box window and solving them per pixel, several
/// times, each time comparing with the later frame's polynomial where the current displacement points.
/// Planes are stored with rows padded to whole 256-bit vectors; single-threaded and deterministic; after the first
/// pair of a size it allocates nothing.
/// </summary>
internal sealed class FarnebackFlow : IOpticalFlow
{
    private const int Lanes = 8;

    // Per pixel: the polynomial's coefficients of y, x, y², x² and xy (the constant term is not needed).
    private const int Coefficients = 5;

    // OpenCV's choice: no level whose side would be below 32 pixels.
    private const int MinSide = 32;

    // The equations of the outermost 5 pixels are weighted down (OpenCV's weights), since their polynomials are fitted
    // to replicated edges.
    private static readonly float[] EdgeWeights = [0.14f, 0.14f, 0.4472f, 0.4472f, 0.4472f];

    private readonly FarnebackParameters _parameters;
    private readonly float[] _g;
    private readonly float[] _xg;
    private readonly float[] _xxg;
    private readonly float _ig11;
    private readonly float _ig03;
    private readonly float _ig33;
    private readonly float _ig55;
    private Buffers? _buffers;

    /// <summary>Creates the method with a preset's parameters.</summary>
    public FarnebackFlow(FlowPreset preset)
        : this(FarnebackParameters.For(preset))
    {
    }

    /// <summary>Creates the method with <paramref name="parameters"/>, validated here.</summary>
    public FarnebackFlow(FarnebackParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        _parameters = parameters;
        (_g, _xg, _xxg, _ig11, _ig03, _ig33, _ig55) = Basis(parameters.PolyN, parameters.PolySigma);
    }

    /// <inheritdoc/>
    public string Name => "farneback";

    /// <inheritdoc/>
    public void Compute(Mat previous, Mat next, Mat flow)
    {
        FlowFrames.CheckPair(previous, next);
        ArgumentNullException.ThrowIfNull(flow);
        if (_buffers is null || _buffers.Width != previous.Width || _buffers.Height != previous.Height)
        {
            _buffers = new Buffers(previous.Width, previous.Height, _parameters);
        }

        var b = _buffers;
        b.Frames.Load(previous, b.Image0);
        b.Frames.Load(next, b.Image1);
        // Pairs of a frame sequence share frames ((0, 1), (1, 2), …): when this earlier frame is the last pair's later
        // one, its expansion at every level is the one made then. The same pixels give the same floats, so the flow is
        // bit for bit what expanding it again gives.
        var reused = b.HasLast && b.Image0.AsSpan().SequenceEqual(b.LastNext);
        // Until this pair is done the expansions are being replaced: a pair that fails half way leaves none to reuse.
        b.HasLast = false;
        if (reused)
        {
            (b.Expanded0, b.Expanded1) = (b.Expanded1, b.Expanded0);
        }

        for (var k = b.Levels.Length - 1; k >= 0; k--)
        {
            var level = b.Levels[k];
            if (k == b.Levels.Length - 1)
            {
                b.U.AsSpan().Clear();
                b.V.AsSpan().Clear();
            }
            else
            {
                var coarser = b.Levels[k + 1];
                var factor = (float)(1 / _parameters.PyramidScale);
                Resize(b.PreviousU, coarser.Stride, level.Width, level.Height, level.Stride, level.FlowColumns!, level.FlowRows!, factor, b.U, b);
                Resize(b.PreviousV, coarser.Stride, level.Width, level.Height, level.Stride, level.FlowColumns!, level.FlowRows!, factor, b.V, b);
            }

            (b.R0, b.R1) = (b.Expanded0[k], b.Expanded1[k]);
            if (!reused)
            {
                Expand(b, b.Image0, level, b.R0);
            }

            Expand(b, b.Image1, level, b.R1);
            SetEdgeWeights(b.ColumnWeights, b.ColumnFlags, level.Width);
            if (Avx2.IsSupported && !ScalarSampling)
            {
                Interleave(b, level);
            }

            UpdateMatrices(b, level);
            for (var i = 0; i < _parameters.Iterations; i++)
            {
                SolveBox(b, level);
                if (i < _parameters.Iterations - 1)
                {
                    UpdateMatrices(b, level);
                }
            }

            (b.U, b.PreviousU) = (b.PreviousU, b.U);
            (b.V, b.PreviousV) = (b.PreviousV, b.V);
        }

        b.Frames.Store(b.PreviousU, b.PreviousV, b.Width, b.Height, flow, b.Levels[0].Stride);
        (b.LastNext, b.Image1) = (b.Image1, b.LastNext);
        b.HasLast = true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    // The Gaussian-weighted least-squares fit of 1, x, y, x², y², xy over (2n+1)² pixels: the 1-D filters (g, x g,
    // x² g) and the entries of the inverse Gram matrix that turn the filter responses into coefficients. The Gram
    // matrix couples only 1, x² and y²; x, y and xy are orthogonal to everything else.
    private static (float[] G, float[] Xg, float[] Xxg, float Ig11, float Ig03, float Ig33, float Ig55) Basis(int n, double sigma)
    {
        if (sigma < float.Epsilon)
        {
            sigma = n * 0.3;
        }

        var (g, xg, xxg) = (new float[n + 1], new float[n + 1], new float[n + 1]);
        var full = new float[(2 * n) + 1];
        double sum = 0;
        for (var x = -n; x <= n; x++)
        {
            full[x + n] = (float)Math.Exp(-x * x / (2 * sigma * sigma));
            sum += full[x + n];
        }

        for (var x = -n; x <= n; x++)
        {
            full[x + n] = (float)(full[x + n] / sum);
        }

        for (var x = 0; x <= n; x++)
        {
            g[x] = full[x + n];
            xg[x] = (float)(x * (double)g[x]);
            xxg[x] = (float)(x * x * (double)g[x]);
        }

        double g00 = 0, g11 = 0, g33 = 0, g55 = 0;
        for (var y = -n; y <= n; y++)
        {
            for (var x = -n; x <= n; x++)
            {
                double w = (double)full[y + n] * full[x + n];
                g00 += w;
                g11 += w * x * x;
                g33 += w * x * x * x * x;
                g55 += w * x * x * y * y;
            }
        }

        // The 3×3 block of 1, x², y²: [[g00, g11, g11], [g11, g33, g55], [g11, g55, g33]], inverted by cofactors.
        var determinant = (g00 * ((g33 * g33) - (g55 * g55))) - (g11 * ((g11 * g33) - (g55 * g11))) + (g11 * ((g11 * g55) - (g33 * g11)));
        var inverse03 = -((g11 * g33) - (g11 * g55)) / determinant;
        var inverse33 = ((g00 * g33) - (g11 * g11)) / determinant;
        return (g, xg, xxg, (float)(1 / g11), (float)inverse03, (float)inverse33, (float)(1 / g55));
    }

    // The level's image of one frame: Gaussian blur of the whole frame (sigma grows as the level shrinks, so that
    // resizing does not alias), bilinear resize to the level, then the polynomial expansion. At the frame's own size the
    // resize is a copy, as in OpenCV (its weights are 1 and 0, so interpolating would give the same floats).
    private void Expand(Buffers b, float[] image, Level level, float[][] coefficients)
    {
        Blur(image, b.Width, b.Height, level.Kernel, b.BlurRow, b.Blurred, b.Smoothed);
        if (level.Width == b.Width && level.Height == b.Height)
        {
            for (var y = 0; y < b.Height; y++)
            {
                b.Smoothed.AsSpan(y * b.Width, b.Width).CopyTo(b.LevelImage.AsSpan(y * level.Stride));
            }
        }
        else
        {
            Resize(b.Smoothed, b.Width, level.Width, level.Height, level.Stride, level.ImageColumns, level.ImageRows, 1, b.LevelImage, b);
        }

        PolynomialExpansion(b.LevelImage, level, coefficients, b);
    }

    // Separable Gaussian, rows then columns, mirrored at the edges without repeating the edge pixel (OpenCV's
    // BORDER_REFLECT_101). Rows are processed in order and buffers have a vector of slack, so a vector may run past the
    // end of a row into the next one, which is written after it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blur(ReadOnlySpan<float> image, int width, int height, float[] kernel, float[] row, float[] across, float[] target)
    {
        var radius = kernel.Length / 2;
        for (var y = 0; y < height; y++)
        {
            var source = image.Slice(y * width, width);
            source.CopyTo(row.AsSpan(radius));
            for (var i = 1; i <= radius; i++)
            {
                row[radius - i] = source[FlowPyramid.Mirror(-i, width)];
                row[radius + width - 1 + i] = source[FlowPyramid.Mirror(width - 1 + i, width)];
            }

            for (var x = 0; x < width; x += Lanes)
            {
                var sum = Vector256.Create(kernel[0]) * Load(row, x);
                for (var j = 1; j < kernel.Length; j++)
                {
                    sum += Vector256.Create(kernel[j]) * Load(row, x + j);
                }

                Store(sum, across, (y * width) + x);
            }
        }

        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x += Lanes)
            {
                var sum = Vector256.Create(kernel[0]) * Load(across, (FlowPyramid.Mirror(y - radius, height) * width) + x);
                for (var j = 1; j < kernel.Length; j++)
                {
                    sum += Vector256.Create(kernel[j]) * Load(across, (FlowPyramid.Mirror(y - radius + j, height) * width) + x);
                }

                Store(sum, target, (y * width) + x);
            }
        }
    }

    // Bilinear resize of a plane with rows of sourceStride to width × height with rows of stride, times factor: each
    // target pixel is interpolated between the two source rows and columns its center maps to (OpenCV's INTER_LINEAR
    // mapping, edges replicated).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Resize(
        float[] source,
        int sourceStride,
        int width,
        int height,
        int stride,
        ResizeMap columns,
        ResizeMap rows,
        float factor,
        float[] target,
        Buffers b)
    {
        Span<float> top = b.ResizeTop, bottom = b.ResizeBottom;
        var f = Vector256.Create(factor);
        for (var y = 0; y < height; y++)
        {
            ReadOnlySpan<float> above = source.AsSpan(rows.Low[y] * sourceStride), below = source.AsSpan(rows.High[y] * sourceStride);
            for (var x = 0; x < width; x++)
            {
                var (low, high, weight) = (columns.Low[x], columns.High[x], columns.Weight[x]);
                top[x] = (above[low] * (1 - weight)) + (above[high] * weight);
                bottom[x] = (below[low] * (1 - weight)) + (below[high] * weight);
            }

            var (wTop, wBottom) = (Vector256.Create(1 - rows.Weight[y]), Vector256.Create(rows.Weight[y]));
            for (var x = 0; x < width; x += Lanes)
            {
                Store(((Load(top, x) * wTop) + (Load(bottom, x) * wBottom)) * f, target, (y * stride) + x);
            }
        }
    }

    // For every pixel, the coefficients of the quadratic that best fits its neighborhood (Gaussian weights): first the
    // column filters (g, x g, x² g), then the row filters over their results, edges replicated. The five planes are the
    // coefficients of y, x, y², x² and xy.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PolynomialExpansion(float[] image, Level level, float[][] coefficients, Buffers b)
    {
        var (width, height, stride) = (level.Width, level.Height, level.Stride);
        var n = _g.Length - 1;
        float[] t0 = b.PolyRow0, t1 = b.PolyRow1, t2 = b.PolyRow2;
        var (ig11, ig03, ig33, ig55) = (Vector256.Create(_ig11), Vector256.Create(_ig03), Vector256.Create(_ig33), Vector256.Create(_ig55));
        var g0 = Vector256.Create(_g[0]);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < stride; x += Lanes)
            {
                var s0 = g0 * Load(image, (y * stride) + x);
                var (s1, s2) = (Vector256<float>.Zero, Vector256<float>.Zero);
                for (var k = 1; k <= n; k++)
                {
                    var above = Load(image, (Math.Max(y - k, 0) * stride) + x);
                    var below = Load(image, (Math.Min(y + k, height - 1) * stride) + x);
                    var sum = above + below;
                    s0 += Vector256.Create(_g[k]) * sum;
                    s1 += Vector256.Create(_xg[k]) * (below - above);
                    s2 += Vector256.Create(_xxg[k]) * sum;
                }

                Store(s0, t0, n + x);
                Store(s1, t1, n + x);
                Store(s2, t2, n + x);
            }

            for (var i = 1; i <= n; i++)
            {
                (t0[n - i], t1[n - i], t2[n - i]) = (t0[n], t1[n], t2[n]);
                (t0[n + width - 1 + i], t1[n + width - 1 + i], t2[n + width - 1 + i]) = (t0[n + width - 1], t1[n + width - 1], t2[n + width - 1]);
            }

            for (var x = 0; x < width; x += Lanes)
            {
                var c = n + x;
                var b1 = g0 * Load(t0, c);
                var b3 = g0 * Load(t1, c);
                var b5 = g0 * Load(t2, c);
                var (b2, b4, b6) = (Vector256<float>.Zero, Vector256<float>.Zero, Vector256<float>.Zero);
                for (var k = 1; k <= n; k++)
                {
                    var (g, xg, xxg) = (Vector256.Create(_g[k]), Vector256.Create(_xg[k]), Vector256.Create(_xxg[k]));
                    var (right0, left0) = (Load(t0, c + k), Load(t0, c - k));
                    var (right1, left1) = (Load(t1, c + k), Load(t1, c - k));
                    var sum0 = right0 + left0;
                    b1 += g * sum0;
                    b4 += xxg * sum0;
                    b2 += xg * (right0 - left0);
                    b3 += g * (right1 + left1);
                    b6 += xg * (right1 - left1);
                    b5 += g * (Load(t2, c + k) + Load(t2, c - k));
                }

                var o = (y * stride) + x;
                Store(b3 * ig11, coefficients[0], o);
                Store(b2 * ig11, coefficients[1], o);
                Store((b1 * ig03) + (b5 * ig33), coefficients[2], o);
                Store((b1 * ig03) + (b4 * ig33), coefficients[3], o);
                Store(b6 * ig55, coefficients[4], o);
            }
        }
    }

    // The weight of column x (of row y, with EdgeWeight) and whether OpenCV applies it: its test
    // (unsigned)(x - 5) >= (unsigned)(width - 10) is "within 5 of an edge" for sides of 10 or more, and leaves some
    // edge pixels of smaller sides unweighted; it is kept so that tiny frames give OpenCV's field too.
    private static void SetEdgeWeights(Span<float> weights, Span<float> flags, int length)
    {
        for (var i = 0; i < length; i++)
        {
            weights[i] = EdgeWeight(i, length);
            flags[i] = EdgeFlag(i, length) ? BitConverter.Int32BitsToSingle(-1) : 0;
        }
    }

    private static float EdgeWeight(int i, int length) =>
        (i < EdgeWeights.Length ? EdgeWeights[i] : 1f) * (i >= length - EdgeWeights.Length ? EdgeWeights[length - i - 1] : 1f);

    private static bool EdgeFlag(int i, int length) => (uint)(i - EdgeWeights.Length) >= (uint)(length - (2 * EdgeWeights.Length));

    // The equations of every pixel for the current flow: the later frame's polynomial is sampled (bilinear) where the
    // flow points, averaged with the earlier frame's, and the 2×2 system and right-hand side of the displacement kept
    // as five planes (G11, G12, G22, h1, h2). A flow that points outside takes the earlier frame's polynomial alone.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void UpdateMatrices(Buffers b, Level level)
    {
        var (width, height, stride) = (level.Width, level.Height, level.Stride);
        float[][] r0 = b.R0, m = b.M;
        float[] r0Y = r0[0], r0X = r0[1], r0YY = r0[2], r0XX = r0[3], r0XY = r0[4];
        float[] s0 = b.Sample[0], s1 = b.Sample[1], s2 = b.Sample[2], s3 = b.Sample[3], s4 = b.Sample[4];
        float[] u = b.U, v = b.V, columnWeights = b.ColumnWeights, columnFlags = b.ColumnFlags;
        var (half, quarter) = (Vector256.Create(0.5f), Vector256.Create(0.25f));
        for (var y = 0; y < height; y++)
        {
            var row = y * stride;
            if (Avx2.IsSupported && !ScalarSampling)
            {
                SampleInterleaved(b, y, width, height, stride);
            }
            else
            {
                SampleScalar(b, y, width, height, stride);
            }

            var rowWeight = EdgeWeight(y, height);
            var rowFlag = EdgeFlag(y, height) ? Vector256<float>.AllBitsSet : Vector256<float>.Zero;
            for (var x = 0; x < width; x += Lanes)
            {
                var p = row + x;
                var yy = (Load(r0YY, p) + Load(s2, x)) * half;
                var xx = (Load(r0XX, p) + Load(s3, x)) * half;
                var xy = (Load(r0XY, p) + Load(s4, x)) * quarter;
                var (dx, dy) = (Load(u, p), Load(v, p));
                var hy = ((Load(r0Y, p) - Load(s0, x)) * half) + ((yy * dy) + (xy * dx));
                var hx = ((Load(r0X, p) - Load(s1, x)) * half) + ((xy * dy) + (xx * dx));
                var weight = Vector256.ConditionalSelect(Load(columnFlags, x) | rowFlag, Load(columnWeights, x) * rowWeight, Vector256<float>.One);
                (hy, hx, yy, xx, xy) = (hy * weight, hx * weight, yy * weight, xx * weight, xy * weight);
                Store((yy * yy) + (xy * xy), m[0], p);
                Store((yy + xx) * xy, m[1], p);
                Store((xx * xx) + (xy * xy), m[2], p);
                Store((yy * hy) + (xy * hx), m[3], p);
                Store((xy * hy) + (xx * hx), m[4], p);
            }
        }
    }

    /// <summary>Whether the later frame's polynomial is sampled one pixel at a time even where AVX2 gathers exist (tests).</summary>
    internal bool ScalarSampling { get; init; }

    // Samples the later frame's five planes where row y's flow points: into Sample, the earlier frame's own
    // quadratic terms (and zero linear terms) where it points outside.
    private static void SampleScalar(Buffers b, int y, int width, int height, int stride)
    {
        float[] r1Y = b.R1[0], r1X = b.R1[1], r1YY = b.R1[2], r1XX = b.R1[3], r1XY = b.R1[4];
        float[] s0 = b.Sample[0], s1 = b.Sample[1], s2 = b.Sample[2], s3 = b.Sample[3], s4 = b.Sample[4];
        float[] u = b.U, v = b.V;
        var row = y * stride;
        for (var x = 0; x < width; x++)
        {
            var p = row + x;
            var (fx, fy) = (x + u[p], y + v[p]);

            // Written so that NaN goes outside too.
            if (fx >= 0 && fy >= 0 && fx < width - 1 && fy < height - 1)
            {
                var (x1, y1) = ((int)fx, (int)fy);
                (fx, fy) = (fx - x1, fy - y1);
                var (a00, a01, a10, a11) = ((1f - fx) * (1f - fy), fx * (1f - fy), (1f - fx) * fy, fx * fy);
                var q = (y1 * stride) + x1;
                var q2 = q + stride;
                s0[x] = (a00 * r1Y[q]) + (a01 * r1Y[q + 1]) + (a10 * r1Y[q2]) + (a11 * r1Y[q2 + 1]);
                s1[x] = (a00 * r1X[q]) + (a01 * r1X[q + 1]) + (a10 * r1X[q2]) + (a11 * r1X[q2 + 1]);
                s2[x] = (a00 * r1YY[q]) + (a01 * r1YY[q + 1]) + (a10 * r1YY[q2]) + (a11 * r1YY[q2 + 1]);
                s3[x] = (a00 * r1XX[q]) + (a01 * r1XX[q + 1]) + (a10 * r1XX[q2]) + (a11 * r1XX[q2 + 1]);
                s4[x] = (a00 * r1XY[q]) + (a01 * r1XY[q + 1]) + (a10 * r1XY[q2]) + (a11 * r1XY[q2 + 1]);
            }
            else
            {
                // Averaging the earlier polynomial with itself leaves it as it is; the linear terms compare with 0.
                (s0[x], s1[x], s2[x], s3[x], s4[x]) = (0, 0, b.R0[2][p], b.R0[3][p], b.R0[4][p]);
            }
        }
    }

    // What SampleScalar does, eight pixels at a time. The later frame's coefficients are interleaved (Interleaved:
    // five floats a pixel), so each of a pixel's four neighbors is one vector load (its five coefficients and three of
    // the next pixel's, which are ignored), weighted and summed in one vector; eight such vectors are transposed back
    // into the five planes. A lane that points outside reads pixel 0 (any pixel inside would do) and is replaced
    // afterwards. Measured on the 128×128 pairs: about 3× faster than gathering each plane's neighbors (AVX2 gathers).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void SampleInterleaved(Buffers b, int y, int width, int height, int stride)
    {
        float[] s0 = b.Sample[0], s1 = b.Sample[1], s2 = b.Sample[2], s3 = b.Sample[3], s4 = b.Sample[4];
        float[] u = b.U, v = b.V, r0YY = b.R0[2], r0XX = b.R0[3], r0XY = b.R0[4];
        var offsets = stackalloc int[Lanes];
        var w = stackalloc float[4 * Lanes];
        var row = y * stride;
        var (right, bottom) = (Vector256.Create((float)(width - 1)), Vector256.Create((float)(height - 1)));
        var fy0 = Vector256.Create((float)y);
        var (strides, five) = (Vector256.Create(stride), Vector256.Create(Coefficients));
        var one = Vector256<float>.One;
        var steps = Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7);
        var below = Coefficients * stride;
        fixed (float* r = b.Interleaved)
        {
            for (var x = 0; x < width; x += Lanes)
            {
                var p = row + x;
                var fx = (Vector256.Create((float)x) + steps) + Load(u, p);
                var fy = fy0 + Load(v, p);
                var inside = Vector256.GreaterThanOrEqual(fx, Vector256<float>.Zero) & Vector256.GreaterThanOrEqual(fy, Vector256<float>.Zero)
                    & Vector256.LessThan(fx, right) & Vector256.LessThan(fy, bottom);
                var (floorX, floorY) = (Vector256.Floor(fx), Vector256.Floor(fy));
                var index = ((Vector256.ConvertToInt32(floorY) * strides) + Vector256.ConvertToInt32(floorX)) & inside.AsInt32();
                (index * five).Store(offsets);
                var (ax, ay) = (fx - floorX, fy - floorY);
                ((one - ax) * (one - ay)).Store(w);
                (ax * (one - ay)).Store(w + Lanes);
                ((one - ax) * ay).Store(w + (2 * Lanes));
                (ax * ay).Store(w + (3 * Lanes));
                var (c0, c1, c2, c3, c4) = Transpose(
                    Pixel(r + offsets[0], below, w),
                    Pixel(r + offsets[1], below, w + 1),
                    Pixel(r + offsets[2], below, w + 2),
                    Pixel(r + offsets[3], below, w + 3),
                    Pixel(r + offsets[4], below, w + 4),
                    Pixel(r + offsets[5], below, w + 5),
                    Pixel(r + offsets[6], below, w + 6),
                    Pixel(r + offsets[7], below, w + 7));
                Store(Vector256.ConditionalSelect(inside, c0, Vector256<float>.Zero), s0, x);
                Store(Vector256.ConditionalSelect(inside, c1, Vector256<float>.Zero), s1, x);
                Store(Vector256.ConditionalSelect(inside, c2, Load(r0YY, p)), s2, x);
                Store(Vector256.ConditionalSelect(inside, c3, Load(r0XX, p)), s3, x);
                Store(Vector256.ConditionalSelect(inside, c4, Load(r0XY, p)), s4, x);
            }
        }
    }

    // One pixel's five coefficients, bilinear between the four interleaved neighbors at q; w holds the pixel's four
    // weights Lanes apart.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<float> Pixel(float* q, int below, float* w) =>
        (Vector256.Create(w[0]) * Vector256.Load(q)) + (Vector256.Create(w[Lanes]) * Vector256.Load(q + Coefficients))
        + (Vector256.Create(w[2 * Lanes]) * Vector256.Load(q + below)) + (Vector256.Create(w[3 * Lanes]) * Vector256.Load(q + below + Coefficients));

    // The first five columns of the 8×8 matrix whose rows are the pixels' vectors: lane i of column c is pixel i's c.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> C0, Vector256<float> C1, Vector256<float> C2, Vector256<float> C3, Vector256<float> C4) Transpose(
        Vector256<float> r0,
        Vector256<float> r1,
        Vector256<float> r2,
        Vector256<float> r3,
        Vector256<float> r4,
        Vector256<float> r5,
        Vector256<float> r6,
        Vector256<float> r7)
    {
        var (q0, q1, q2, q3) = Quads(r0, r1, r2, r3);
        var (q4, q5, q6, q7) = Quads(r4, r5, r6, r7);
        return (Avx.Permute2x128(q0, q4, 0x20), Avx.Permute2x128(q1, q5, 0x20), Avx.Permute2x128(q2, q6, 0x20), Avx.Permute2x128(q3, q7, 0x20), Avx.Permute2x128(q0, q4, 0x31));
    }

    // The 4×4 transposes within each 128-bit half of four rows: lanes 0-3 of Qk hold column k of the rows, lanes 4-7
    // column k + 4. Pairs of rows are interleaved, then pairs of pairs.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Q0, Vector256<float> Q1, Vector256<float> Q2, Vector256<float> Q3) Quads(
        Vector256<float> r0,
        Vector256<float> r1,
        Vector256<float> r2,
        Vector256<float> r3)
    {
        var (t0, t1) = (Avx.UnpackLow(r0, r1), Avx.UnpackHigh(r0, r1));
        var (t2, t3) = (Avx.UnpackLow(r2, r3), Avx.UnpackHigh(r2, r3));
        return (Avx.Shuffle(t0, t2, 0x44), Avx.Shuffle(t0, t2, 0xEE), Avx.Shuffle(t1, t3, 0x44), Avx.Shuffle(t1, t3, 0xEE));
    }

    // The later frame's five planes, five floats a pixel, for SampleInterleaved: eight pixels' planes are transposed
    // into eight pixel vectors (five coefficients and three zeros), stored in order, so that each store's three extra
    // floats are overwritten by the next pixel's (the last ones land in the buffer's slack).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Interleave(Buffers b, Level level)
    {
        var (height, stride) = (level.Height, level.Stride);
        float[] r1Y = b.R1[0], r1X = b.R1[1], r1YY = b.R1[2], r1XX = b.R1[3], r1XY = b.R1[4], interleaved = b.Interleaved;
        var zero = Vector256<float>.Zero;
        for (var p = 0; p < height * stride; p += Lanes)
        {
            var (q0, q1, q2, q3) = Quads(Load(r1Y, p), Load(r1X, p), Load(r1YY, p), Load(r1XX, p));
            var (q4, q5, q6, q7) = Quads(Load(r1XY, p), zero, zero, zero);
            var q = p * Coefficients;
            Store(Avx.Permute2x128(q0, q4, 0x20), interleaved, q);
            Store(Avx.Permute2x128(q1, q5, 0x20), interleaved, q + Coefficients);
            Store(Avx.Permute2x128(q2, q6, 0x20), interleaved, q + (2 * Coefficients));
            Store(Avx.Permute2x128(q3, q7, 0x20), interleaved, q + (3 * Coefficients));
            Store(Avx.Permute2x128(q0, q4, 0x31), interleaved, q + (4 * Coefficients));
            Store(Avx.Permute2x128(q1, q5, 0x31), interleaved, q + (5 * Coefficients));
            Store(Avx.Permute2x128(q2, q6, 0x31), interleaved, q + (6 * Coefficients));
            Store(Avx.Permute2x128(q3, q7, 0x31), interleaved, q + (7 * Coefficients));
        }
    }

    // Averages the five planes over the box window (edges replicated) and solves each pixel's 2×2 system for the flow.
    // The window's column sums run down the rows (add the row entering, subtract the one leaving), as OpenCV's do; the
    // row sums add the window's columns directly.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SolveBox(Buffers b, Level level)
    {
        var (width, height, stride) = (level.Width, level.Height, level.Stride);
        var radius = _parameters.WindowSize / 2;
        var scale = Vector256.Create((float)(1.0 / (_parameters.WindowSize * _parameters.WindowSize)));
        var regularization = Vector256.Create(1e-3f);

        // A window of c blocks of b columns (15 = 3 × 5) sums each block once per row, then c blocks per pixel.
        var window = (2 * radius) + 1;
        var block = Block(window);
        // With one-column blocks the window adds the column sums themselves; else the sums of its blocks.
        var rows = block > 1 ? b.BoxRows : b.ColumnSums;
        float[] sum0 = rows[0], sum1 = rows[1], sum2 = rows[2], sum3 = rows[3], sum4 = rows[4];
        float[] u = b.U, v = b.V;
        for (var y = 0; y < height; y++)
        {
            for (var plane = 0; plane < 5; plane++)
            {
                SumColumns(b.M[plane], b.ColumnSums[plane], y, radius, width, height, stride);
            }

            if (block > 1)
            {
                for (var plane = 0; plane < 5; plane++)
                {
                    SumBlocks(b.ColumnSums[plane], b.BoxRows[plane], width + window - block, block);
                }
            }

            for (var x = 0; x < width; x += Lanes)
            {
                var (g11, g12, g22, h1, h2) = (Load(sum0, x), Load(sum1, x), Load(sum2, x), Load(sum3, x), Load(sum4, x));
                for (var i = x + block; i < x + window; i += block)
                {
                    g11 += Load(sum0, i);
                    g12 += Load(sum1, i);
                    g22 += Load(sum2, i);
                    h1 += Load(sum3, i);
                    h2 += Load(sum4, i);
                }

                (g11, g12, g22, h1, h2) = (g11 * scale, g12 * scale, g22 * scale, h1 * scale, h2 * scale);
                var inverse = Vector256<float>.One / ((g11 * g22) - (g12 * g12) + regularization);
                var p = (y * stride) + x;
                Store(((g11 * h2) - (g12 * h1)) * inverse, u, p);
                Store(((g22 * h1) - (g12 * h2)) * inverse, v, p);
            }
        }
    }

    // The divisor b of the window that makes the fewest additions per pixel (b to sum a block, window / b to sum the
    // blocks); 1 when the window is prime.
    private static int Block(int window)
    {
        var (best, cost) = (1, window);
        for (var b = 2; b < window; b++)
        {
            if (window % b == 0 && b + (window / b) < cost)
            {
                (best, cost) = (b, b + (window / b));
            }
        }

        return best;
    }

    // target[i] = the sum of row[i .. i + block) for i < count.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumBlocks(float[] row, float[] target, int count, int block)
    {
        for (var i = 0; i < count; i += Lanes)
        {
            var sum = Load(row, i);
            for (var k = 1; k < block; k++)
            {
                sum += Load(row, i + k);
            }

            Store(sum, target, i);
        }
    }

    // Row y of a plane's sums over the window's rows (rows beyond the edges repeat the edge row), kept at offset radius
    // of sums with the edge columns repeated into the margins: made from scratch at row 0, then updated.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumColumns(float[] plane, float[] sums, int y, int radius, int width, int height, int stride)
    {
        if (y == 0)
        {
            for (var x = 0; x < width; x += Lanes)
            {
                var sum = Load(plane, x) * Vector256.Create((float)(radius + 1));
                for (var j = 1; j <= radius; j++)
                {
                    sum += Load(plane, (Math.Min(j, height - 1) * stride) + x);
                }

                Store(sum, sums, radius + x);
            }
        }
        else
        {
            var (entering, leaving) = (Math.Min(y + radius, height - 1) * stride, Math.Max(y - radius - 1, 0) * stride);
            for (var x = 0; x < width; x += Lanes)
            {
                Store(Load(sums, radius + x) + (Load(plane, entering + x) - Load(plane, leaving + x)), sums, radius + x);
            }
        }

        // The vectors ran past the last column into the right margin: every margin entry is written again here.
        var (first, last) = (sums[radius], sums[radius + width - 1]);
        sums.AsSpan(0, radius).Fill(first);
        sums.AsSpan(radius + width, radius).Fill(last);
    }

    // Callers keep i + 8 within the array: every buffer has a vector of slack past its last row.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Load(float[] array, int i)
    {
        Debug.Assert(i >= 0 && i + Lanes <= array.Length, "vector load in bounds");
        return Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(array), (nuint)i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector256<float> value, float[] array, int i)
    {
        Debug.Assert(i >= 0 && i + Lanes <= array.Length, "vector store in bounds");
        value.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(array), (nuint)i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Load(ReadOnlySpan<float> span, int i)
    {
        Debug.Assert(i >= 0 && i + Lanes <= span.Length, "vector load in bounds");
        return Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(span), (nuint)i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector256<float> value, Span<float> span, int i)
    {
        Debug.Assert(i >= 0 && i + Lanes <= span.Length, "vector store in bounds");
        value.StoreUnsafe(ref MemoryMarshal.GetReference(span), (nuint)i);
    }

    private static int Padded(int width) => (width + Lanes - 1) / Lanes * Lanes;

    /// <summary>Where each target pixel of a bilinear resize reads: two source indices and the second one's weight.</summary>
    private sealed class ResizeMap
    {
        // OpenCV's INTER_LINEAR mapping: target pixel centers onto source pixel centers, clamped at the edges.
        public ResizeMap(int source, int target)
        {
            (Low, High, Weight) = (new int[target], new int[target], new float[target]);
            var scale = 1 / ((double)target / source);
            for (var i = 0; i < target; i++)
            {
                var f = (float)(((i + 0.5) * scale) - 0.5);
                var low = (int)MathF.Floor(f);
                f -= low;
                if (low < 0)
                {
                    (low, f) = (0, 0);
                }

                if (low >= source - 1)
                {
                    (low, f) = (source - 1, 0);
                }

                (Low[i], High[i], Weight[i]) = (low, Math.Min(low + 1, source - 1), f);
            }
        }

        public int[] Low { get; }

        public int[] High { get; }

        public float[] Weight { get; }
    }

    /// <summary>One pyramid level: its size, the blur that precedes its resize, and where its pixels read.</summary>
    private sealed class Level
    {
        public Level(int frameWidth, int frameHeight, double scale, Level? coarser)
        {
            Width = (int)Math.Round(frameWidth * scale, MidpointRounding.ToEven);
            Height = (int)Math.Round(frameHeight * scale, MidpointRounding.ToEven);
            Stride = Padded(Width);
            ImageColumns = new ResizeMap(frameWidth, Width);
            ImageRows = new ResizeMap(frameHeight, Height);
            if (coarser is not null)
            {
                FlowColumns = new ResizeMap(coarser.Width, Width);
                FlowRows = new ResizeMap(coarser.Height, Height);
            }

            var sigma = ((1 / scale) - 1) * 0.5;
            var size = Math.Max((int)Math.Round(sigma * 5, MidpointRounding.ToEven) | 1, 3);
            Kernel = new float[size];
            if (sigma <= 0)
            {
                // The frame itself: OpenCV's fixed 3-tap kernel for sigma 0.
                (Kernel[0], Kernel[1], Kernel[2]) = (0.25f, 0.5f, 0.25f);
            }
            else
            {
                var weights = new double[size];
                double sum = 0;
                for (var i = 0; i < size; i++)
                {
                    var x = i - ((size - 1) * 0.5);
                    weights[i] = Math.Exp(-0.5 / (sigma * sigma) * x * x);
                    sum += weights[i];
                }

                for (var i = 0; i < size; i++)
                {
                    Kernel[i] = (float)(weights[i] / sum);
                }
            }
        }

        public int Width { get; }

        public int Height { get; }

        public int Stride { get; }

        public float[] Kernel { get; }

        public ResizeMap ImageColumns { get; }

        public ResizeMap ImageRows { get; }

        public ResizeMap? FlowColumns { get; }

        public ResizeMap? FlowRows { get; }
    }

    private sealed class Buffers
    {
        public Buffers(int width, int height, FarnebackParameters parameters)
        {
            (Width, Height) = (width, height);
            var count = 0;
            for (var scale = 1.0; count < parameters.Levels; count++)
            {
                scale *= parameters.PyramidScale;
                if (width * scale < MinSide || height * scale < MinSide)
                {
                    break;
                }
            }

            Levels = new Level[count + 1];
            for (var k = count; k >= 0; k--)
            {
                var scale = 1.0;
                for (var i = 0; i < k; i++)
                {
                    scale *= parameters.PyramidScale;
                }

                Levels[k] = new Level(width, height, scale, k == count ? null : Levels[k + 1]);
            }

            var stride = Padded(width);
            var plane = (stride * height) + Lanes;
            var frame = (width * height) + Lanes;
            (Image0, Image1, Blurred, Smoothed, LastNext) = (new float[frame], new float[frame], new float[frame], new float[frame], new float[frame]);
            var radius = 0;
            foreach (var level in Levels)
            {
                radius = Math.Max(radius, level.Kernel.Length / 2);
            }

            BlurRow = new float[stride + (2 * radius) + Lanes];
            LevelImage = new float[plane];
            (Expanded0, Expanded1) = ([.. Levels.Select(l => Planes(5, (l.Stride * l.Height) + Lanes))], [.. Levels.Select(l => Planes(5, (l.Stride * l.Height) + Lanes))]);
            (R0, R1, M) = (Expanded0[0], Expanded1[0], Planes(5, plane));
            (U, V, PreviousU, PreviousV) = (new float[plane], new float[plane], new float[plane], new float[plane]);
            var polyRow = stride + (2 * parameters.PolyN) + Lanes;
            (PolyRow0, PolyRow1, PolyRow2) = (new float[polyRow], new float[polyRow], new float[polyRow]);
            Sample = Planes(5, stride + Lanes);
            BoxRows = Planes(5, stride + (2 * (parameters.WindowSize / 2)) + Lanes);
            ColumnSums = Planes(5, stride + (2 * (parameters.WindowSize / 2)) + Lanes);
            (ResizeTop, ResizeBottom, ColumnWeights) = (new float[stride + Lanes], new float[stride + Lanes], new float[stride + Lanes]);
            ColumnFlags = new float[stride + Lanes];
            Interleaved = new float[(plane * Coefficients) + Lanes];
        }

        /// <summary>The later frame's coefficients, five floats a pixel, when sampling eight pixels at a time.</summary>
        public float[] Interleaved { get; }



        public int Width { get; }

        public int Height { get; }

        /// <summary>The frame (0) and the coarser levels, finest first.</summary>
        public Level[] Levels { get; }

        public FlowFrames Frames { get; } = new();

        public float[] Image0 { get; }

        public float[] Image1 { get; set; }

        /// <summary>The later frame of the last pair, as loaded (valid when <see cref="HasLast"/>).</summary>
        public float[] LastNext { get; set; }

        public bool HasLast { get; set; }

        /// <summary>The earlier frame's polynomial coefficients at every level (y, x, y², x², xy each).</summary>
        public float[][][] Expanded0 { get; set; }

        /// <summary>The later frame's polynomial coefficients at every level.</summary>
        public float[][][] Expanded1 { get; set; }

        public float[] Blurred { get; }

        public float[] Smoothed { get; }

        public float[] BlurRow { get; }

        public float[] LevelImage { get; }

        /// <summary>The earlier frame's polynomial coefficients at the current level: y, x, y², x², xy.</summary>
        public float[][] R0 { get; set; }

        /// <summary>The later frame's polynomial coefficients at the current level.</summary>
        public float[][] R1 { get; set; }

        /// <summary>The current level's equations: G11, G12, G22, h1, h2.</summary>
        public float[][] M { get; }

        public float[] U { get; set; }

        public float[] V { get; set; }

        public float[] PreviousU { get; set; }

        public float[] PreviousV { get; set; }

        public float[] PolyRow0 { get; }

        public float[] PolyRow1 { get; }

        public float[] PolyRow2 { get; }

        public float[][] Sample { get; }

        public float[][] BoxRows { get; }

        /// <summary>The current row's sums over the box window's rows, per plane.</summary>
        public float[][] ColumnSums { get; }

        public float[] ResizeTop { get; }

        public float[] ResizeBottom { get; }

        public float[] ColumnWeights { get; }

        /// <summary>All bits set where a column's edge weight applies, else 0.</summary>
        public float[] ColumnFlags { get; }

        private static float[][] Planes(int count, int length)
        {
            var planes = new float[count][];
            for (var i = 0; i < count; i++)
            {
                planes[i] = new float[length];
            }

            return planes;
        }
    }
}
