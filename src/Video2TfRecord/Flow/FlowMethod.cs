namespace Video2TfRecord.Flow;

/// <summary>How optical flow is computed (<c>--flow</c>).</summary>
public enum FlowMethod
{
    /// <summary>No flow.</summary>
    None,

    /// <summary>Gunnar Farnebäck's polynomial expansion method (the original tool's), implemented in this project to give OpenCV's results.</summary>
    Farneback,

    /// <summary>TV-L1 (Zach, Pock, Bischof), implemented in this project: the action-recognition standard.</summary>
    Tvl1,

    /// <summary>Dense Inverse Search (Kroeger et al.), implemented in this project: fast, for large corpora.</summary>
    Dis,
}

/// <summary>Parameter sets of a flow method (<c>--flow-preset</c>).</summary>
public enum FlowPreset
{
    /// <summary>The method's recommended parameters.</summary>
    Default,

    /// <summary>The original Python tool's Farneback parameters (pyr_scale 0.8, levels 15, winsize 5, iterations 10, poly_n 5, poly_sigma 0, flags 10).</summary>
    Seed,
}
