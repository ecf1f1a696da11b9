namespace Video2TfRecord.Flow;

/// <summary>
/// Parameters of <see cref="TvL1Flow"/>, named as in Sánchez, Meinhardt-Llopis and Facciolo, "TV-L1 Optical Flow
/// Estimation", IPOL 2013. Intensities are 0..255.
/// </summary>
internal sealed record TvL1Parameters
{
    /// <summary>Time step of the dual update; convergence needs at most 0.25.</summary>
    public float Tau { get; init; } = 0.25f;

    /// <summary>Weight of the data term: smaller gives smoother flow.</summary>
    public float Lambda { get; init; } = 0.15f;

    /// <summary>Coupling between the two sub-problems; small values keep the solution close to the TV-L1 energy.</summary>
    public float Theta { get; init; } = 0.3f;

    /// <summary>The most pyramid levels (factor 0.5), the frame itself included.</summary>
    public int Scales { get; init; } = 5;

    /// <summary>The coarsest level's smaller side is at least this many pixels.</summary>
    public int MinSide { get; init; } = 16;

    /// <summary>Times per level the next frame is warped with the current flow and the data term linearized again.</summary>
    public int Warps { get; init; } = 5;

    /// <summary>Iterations stop when the root mean square change of the flow falls below this (pixels).</summary>
    public float Epsilon { get; init; } = 0.01f;

    /// <summary>The most iterations per warp; bounds the time per pair.</summary>
    public int MaxIterations { get; init; } = 50;

    /// <summary>Whether the flow is median-filtered (3×3) after each warp, which removes outliers at motion boundaries.</summary>
    public bool MedianFilter { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first parameter out of its range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Tau);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Tau, 0.25f);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Lambda);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Theta);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Scales);
        ArgumentOutOfRangeException.ThrowIfLessThan(MinSide, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Warps);
        ArgumentOutOfRangeException.ThrowIfNegative(Epsilon);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxIterations);
    }
}
