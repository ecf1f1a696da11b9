using OpenCvSharp;

namespace Video2TfRecord.Tests.Fixtures;

/// <summary>
/// Frames of a smooth random texture that moves by whole pixels (dx, dy) per frame, so the true flow between frame
/// k and frame k + s is exactly (s·dx, s·dy) everywhere the texture stays in view.
/// </summary>
public sealed class MovingTexture
{
    private const int Margin = 64;
    private readonly byte[] _texture;
    private readonly int _textureWidth;

    public MovingTexture(int width, int height, int dx, int dy, int seed = 7)
    {
        (Width, Height, Dx, Dy) = (width, height, dx, dy);
        _textureWidth = width + (2 * Margin);
        var textureHeight = height + (2 * Margin);
        var random = new Random(seed);
        using var noise = new Mat(textureHeight, _textureWidth, MatType.CV_32FC1);
        for (var y = 0; y < textureHeight; y++)
        {
            for (var x = 0; x < _textureWidth; x++)
            {
                noise.Set(y, x, (float)random.NextDouble());
            }
        }

        using var smooth = new Mat();
        Cv2.GaussianBlur(noise, smooth, new Size(0, 0), 2.5);
        using var bytes = new Mat();
        Cv2.Normalize(smooth, bytes, 0, 255, NormTypes.MinMax, (int)MatType.CV_8UC1);
        _texture = new byte[_textureWidth * textureHeight];
        System.Runtime.InteropServices.Marshal.Copy(bytes.Data, _texture, 0, _texture.Length);
    }

    public int Width { get; }

    public int Height { get; }

    public int Dx { get; }

    public int Dy { get; }

    /// <summary>Frame k as packed RGB24 (gray texture in all three channels): frame k (x, y) = texture(x − k·dx, y − k·dy).</summary>
    public byte[] Draw(int k)
    {
        var pixels = new byte[Width * Height * 3];
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                var value = _texture[((Margin + y - (k * Dy)) * _textureWidth) + Margin + x - (k * Dx)];
                var p = ((y * Width) + x) * 3;
                (pixels[p], pixels[p + 1], pixels[p + 2]) = (value, value, value);
            }
        }

        return pixels;
    }
}
