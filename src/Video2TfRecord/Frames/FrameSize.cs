using System.Globalization;

namespace Video2TfRecord.Frames;

/// <summary>A target frame size in pixels, written <c>WxH</c> (width first) on the command line.</summary>
/// <param name="Width">Width in pixels, at least 1.</param>
/// <param name="Height">Height in pixels, at least 1.</param>
public sealed record FrameSize(int Width, int Height)
{
    /// <summary>Largest accepted side, far beyond any video, so a typo cannot ask for terabytes.</summary>
    public const int MaxSide = 16384;

    /// <summary>Parses <c>128x128</c> (also <c>128X128</c>).</summary>
    /// <exception cref="OptionException">The text is not two positive numbers of at most <see cref="MaxSide"/>.</exception>
    public static FrameSize Parse(string text) => Parse(text, "--size");

    /// <summary>Parses <c>128x128</c> given to <paramref name="option"/>, which error messages name.</summary>
    /// <exception cref="OptionException">The text is not two positive numbers of at most <see cref="MaxSide"/>.</exception>
    public static FrameSize Parse(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('x', 'X');
        if (parts.Length == 2 &&
            int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var width) &&
            int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var height) &&
            width is >= 1 and <= MaxSide && height is >= 1 and <= MaxSide)
        {
            return new FrameSize(width, height);
        }

        throw new OptionException(option.TrimStart('-'), string.Create(CultureInfo.InvariantCulture,
            $"{option}: expected WxH with both sides from 1 to {MaxSide}, like 128x128; got '{text}'"));
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Width}x{Height}");
}
