namespace Video2TfRecord.Records;

/// <summary>How a record stores each entry's flow.</summary>
public enum FlowPacking
{
    /// <summary>Two one-channel images per entry, dx and dy (the example layout's <c>flow/x/i</c>, <c>flow/y/i</c>).</summary>
    Planes,

    /// <summary>One three-channel image per entry, R = dx, G = dy, B = 0 (MediaSequence's <c>FORWARD_FLOW/image/encoded</c>).</summary>
    Color,

    /// <summary>The original tool's gray flow channel, appended to the frame as its last channel (<c>--flow-format seed</c>).</summary>
    SeedChannel,
}
