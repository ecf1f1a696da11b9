namespace Video2TfRecord.Frames;

/// <summary>Channels of the stored frames.</summary>
public enum ColorMode
{
    /// <summary>Three channels in R, G, B order (never BGR).</summary>
    Rgb,

    /// <summary>One luma channel (ITU-R BT.601 weights, as OpenCV's BGR→GRAY).</summary>
    Gray,
}
