namespace Video2TfRecord.Sampling;

/// <summary>Which N of a video's T frames are kept (formulas in docs/format.md and docs/architecture.md).</summary>
public enum SamplingMode
{
    /// <summary>index_i = floor((2i+1)·T / (2N)): evenly spaced and centered in their segments (default).</summary>
    Centered,

    /// <summary>index_i = round(i·(T−1)/(N−1)), half to even: includes the first and the last frame.</summary>
    Linspace,

    /// <summary>step = floor(T/N), index_i = i·step: what the original Python tool did.</summary>
    Seed,

    /// <summary>
    /// A fixed rate by presentation time (<c>--fps F</c>): targets t_k = t_0 + k/F up to the last frame's time, each
    /// taking the frame with the greatest timestamp ≤ t_k; with N frames the centered window of N targets is kept.
    /// </summary>
    Fps,
}
