using System.Globalization;
using OpenCvSharp;
using Video2TfRecord.Options;

namespace Video2TfRecord.Frames;

/// <summary>The resize step of the frame transform: a mode and its target, and the geometry it gives a source size.</summary>
/// <param name="Mode">How to resize.</param>
/// <param name="Size">The stored size for stretch, fit and fill; <see langword="null"/> keeps the source size (stretch only).</param>
/// <param name="ShortSide">The short side in pixels for <see cref="ResizeMode.ShortSide"/>.</param>
public sealed record FrameResize(ResizeMode Mode = ResizeMode.Stretch, FrameSize? Size = null, int? ShortSide = null)
{
    /// <summary>The short sides <c>--short-side</c> takes.</summary>
    public static NumberRange ShortSideRange { get; } = new(1, FrameSize.MaxSide, Whole: true, "pixels");

    /// <summary>No resizing: frames keep their source size.</summary>
    public static FrameResize None { get; } = new();

    /// <summary>
    /// The resize step with the command line's default applied: without a mode, a short side selects
    /// <see cref="ResizeMode.ShortSide"/> and anything else <see cref="ResizeMode.Stretch"/>.
    /// </summary>
    /// <param name="mode">The mode asked for, or null for the default.</param>
    /// <param name="size">The stored size, or null.</param>
    /// <param name="shortSide">The short side in pixels, or null.</param>
    public static FrameResize Create(ResizeMode? mode, FrameSize? size, int? shortSide) =>
        new(mode ?? (shortSide is null ? ResizeMode.Stretch : ResizeMode.ShortSide), size, shortSide);

    /// <summary>Checks that the mode has the target it needs and nothing it cannot use.</summary>
    /// <exception cref="OptionException">A combination the mode cannot honor.</exception>
    public void Validate()
    {
        switch (Mode)
        {
            case ResizeMode.ShortSide when Size is not null:
                throw new OptionException("resize", "--resize short-side keeps the aspect ratio and cannot also honor --size: give --short-side S only");
            case ResizeMode.ShortSide when ShortSide is not (>= 1 and <= FrameSize.MaxSide):
                throw new OptionException("resize", string.Create(CultureInfo.InvariantCulture,
                    $"--resize short-side needs --short-side S with S from 1 to {FrameSize.MaxSide}"));
            case ResizeMode.Fit or ResizeMode.Fill when Size is null:
                throw new OptionException("resize", $"--resize {OptionWord.Of(Mode)} needs --size WxH");
            case not ResizeMode.ShortSide when ShortSide is not null:
                throw new OptionException("resize", "--short-side goes with --resize short-side");
        }
    }

    /// <summary>
    /// Where a source frame of <paramref name="source"/> size goes: the size it is scaled to, and the window of the
    /// stored frame it fills (fit) or the window of the scaled frame that is kept (fill).
    /// </summary>
    internal ResizeGeometry GeometryFor(Size source)
    {
        double sw = source.Width, sh = source.Height;
        switch (Mode)
        {
            case ResizeMode.Stretch when Size is { } size:
                return ResizeGeometry.Plain(new Size(size.Width, size.Height));
            case ResizeMode.Fit when Size is { } size:
                {
                    var scale = Math.Min(size.Width / sw, size.Height / sh);
                    var scaled = new Size(Math.Clamp((int)Math.Round(sw * scale), 1, size.Width), Math.Clamp((int)Math.Round(sh * scale), 1, size.Height));
                    return new ResizeGeometry(scaled, new Size(size.Width, size.Height),
                        new Rect((size.Width - scaled.Width) / 2, (size.Height - scaled.Height) / 2, scaled.Width, scaled.Height), Pad: true);
                }

            case ResizeMode.Fill when Size is { } size:
                {
                    var scale = Math.Max(size.Width / sw, size.Height / sh);
                    var scaled = new Size(Math.Max(size.Width, (int)Math.Round(sw * scale)), Math.Max(size.Height, (int)Math.Round(sh * scale)));
                    return new ResizeGeometry(scaled, new Size(size.Width, size.Height),
                        new Rect((scaled.Width - size.Width) / 2, (scaled.Height - size.Height) / 2, size.Width, size.Height), Pad: false);
                }

            case ResizeMode.ShortSide when ShortSide is { } side:
                {
                    var scale = side / Math.Min(sw, sh);
                    var scaled = sw <= sh
                        ? new Size(side, Math.Max(1, (int)Math.Round(sh * scale)))
                        : new Size(Math.Max(1, (int)Math.Round(sw * scale)), side);
                    return ResizeGeometry.Plain(scaled);
                }

            default:
                return ResizeGeometry.Plain(source);
        }
    }
}
