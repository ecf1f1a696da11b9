namespace Video2TfRecord.Flow;

/// <summary>Creates the flow method a run asks for.</summary>
internal static class OpticalFlow
{
    /// <summary>A new instance of <paramref name="method"/> with <paramref name="preset"/>'s parameters; one per worker.</summary>
    /// <exception cref="ArgumentException">The preset does not belong to the method (only Farneback has a seed preset).</exception>
    public static IOpticalFlow Create(FlowMethod method, FlowPreset preset)
    {
        if (preset == FlowPreset.Seed && method != FlowMethod.Farneback)
        {
            throw new ArgumentException($"The seed preset is Farneback's; {method} has only the default one.", nameof(preset));
        }

        return method switch
        {
            FlowMethod.Farneback => new FarnebackFlow(preset),
            FlowMethod.Tvl1 => new TvL1Flow(),
            FlowMethod.Dis => new DisFlow(),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "No flow method to create."),
        };
    }
}
