namespace Video2TfRecord.Flow;

/// <summary>How flow is stored (<c>--flow-format</c>).</summary>
public enum FlowFormat
{
    /// <summary>dx and dy clipped to ±bound and mapped linearly to the full sample range, as separate images.</summary>
    Xy,

    /// <summary>The original tool's: angle as hue and min-max normalized magnitude as value, to gray, as a 4th channel.</summary>
    Seed,
}

/// <summary>Which frames flow is computed between (<c>--flow-pairs</c>).</summary>
public enum FlowPairs
{
    /// <summary>Each stored frame and the source frame right after it (what two-stream models expect).</summary>
    Next,

    /// <summary>The previous stored frame and each stored frame; the first gets zero flow (the original tool's).</summary>
    Stored,
}
