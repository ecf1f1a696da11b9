namespace Video2TfRecord.Flow;

/// <summary>
/// Parameters of <see cref="DisFlow"/>, named after Kroeger, Timofte, Dai and Van Gool, "Fast Optical Flow using
/// Dense Inverse Search", ECCV 2016. Patches are 8×8 pixels.
/// </summary>
internal sealed record DisParameters
{
    /// <summary>Pixels between the corners of neighboring patches; smaller is denser, more accurate and slower.</summary>
    public int PatchStride { get; init; } = 4;

    /// <summary>Gauss-Newton iterations of the inverse compositional search per patch.</summary>
    public int Iterations { get; init; } = 16;

    /// <summary>The most pyramid levels (factor 0.5), the frame itself included.</summary>
    public int Scales { get; init; } = 5;

    /// <summary>The coarsest level's smaller side is at least this many pixels.</summary>
    public int MinSide { get; init; } = 16;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first parameter out of its range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(PatchStride);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PatchStride, DisFlow.PatchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Iterations);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Scales);
        ArgumentOutOfRangeException.ThrowIfLessThan(MinSide, DisFlow.PatchSize);
    }
}
