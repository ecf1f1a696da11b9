namespace Video2TfRecord.Frames;

/// <summary>How frames reach the stored size.</summary>
public enum ResizeMode
{
    /// <summary>Scale to exactly W×H, ignoring the aspect ratio (the original tool's behavior; default).</summary>
    Stretch,

    /// <summary>Scale to fit inside W×H keeping the aspect ratio; pad with black, the image centered.</summary>
    Fit,

    /// <summary>Scale to cover W×H keeping the aspect ratio; crop the center (offset floor(excess/2)).</summary>
    Fill,

    /// <summary>Scale so the short side is S pixels, keeping the aspect ratio (DMVR/I3D pipelines).</summary>
    ShortSide,
}
