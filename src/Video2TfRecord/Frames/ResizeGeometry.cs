using OpenCvSharp;

namespace Video2TfRecord.Frames;

/// <summary>What <see cref="FrameResize"/> does to one source size.</summary>
/// <param name="Scaled">The size the source is scaled to.</param>
/// <param name="Stored">The size of the stored frame.</param>
/// <param name="Window">Fit: where the scaled image sits in the stored frame. Fill: the part of the scaled image kept.</param>
/// <param name="Pad">True for fit (pad around <paramref name="Window"/>), false for fill or plain scaling.</param>
internal sealed record ResizeGeometry(Size Scaled, Size Stored, Rect Window, bool Pad)
{
    /// <summary>Plain scaling: the scaled image is the stored frame.</summary>
    public static ResizeGeometry Plain(Size size) => new(size, size, new Rect(0, 0, size.Width, size.Height), Pad: false);

    /// <summary>Whether the scaled image is stored as it is (no pad, no crop).</summary>
    public bool IsPlain => Scaled == Stored;
}
