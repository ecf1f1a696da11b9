namespace Video2TfRecord.Flow;

/// <summary>
/// Parameters of <see cref="FarnebackFlow"/>, named after OpenCV's <c>calcOpticalFlowFarneback</c> (pyr_scale, levels,
/// winsize, iterations, poly_n, poly_sigma), whose results the method reproduces.
/// </summary>
internal sealed record FarnebackParameters
{
    /// <summary>The default preset: OpenCV's documented example (0.5, 3, 15, 3, 5, 1.2).</summary>
    public static FarnebackParameters Default { get; } = new();

    /// <summary>
    /// The original Python tool's parameters (0.8, 15, 5, 10, 5, 0; its flags 10 select neither initial flow nor the
    /// Gaussian window, so the box window is used, as OpenCV does with them).
    /// </summary>
    public static FarnebackParameters Seed { get; } = new()
    {
        PyramidScale = 0.8,
        Levels = 15,
        WindowSize = 5,
        Iterations = 10,
        PolyN = 5,
        PolySigma = 0,
    };

    /// <summary>Each coarser level is this fraction of the finer one (0 &lt; scale &lt; 1).</summary>
    public double PyramidScale { get; init; } = 0.5;

    /// <summary>The most levels above the frame itself; a level whose side would fall below 32 pixels is not made.</summary>
    public int Levels { get; init; } = 3;

    /// <summary>The side of the box window the displacement is averaged over, in pixels.</summary>
    public int WindowSize { get; init; } = 15;

    /// <summary>Displacement updates per level.</summary>
    public int Iterations { get; init; } = 3;

    /// <summary>The radius of the neighborhood the quadratic polynomial is fitted over (pixels).</summary>
    public int PolyN { get; init; } = 5;

    /// <summary>The Gaussian weight's sigma of the polynomial fit; 0 means 0.3 × <see cref="PolyN"/>.</summary>
    public double PolySigma { get; init; } = 1.2;

    /// <summary>The parameters of a preset.</summary>
    public static FarnebackParameters For(FlowPreset preset) => preset == FlowPreset.Seed ? Seed : Default;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first parameter out of its range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(PyramidScale);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(PyramidScale, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(Levels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(WindowSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Iterations);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(PolyN);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PolyN, 16);
        ArgumentOutOfRangeException.ThrowIfNegative(PolySigma);
    }
}
