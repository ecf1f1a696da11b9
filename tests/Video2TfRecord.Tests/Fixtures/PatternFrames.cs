using OpenCvSharp;

namespace Video2TfRecord.Tests.Fixtures;

/// <summary>
/// Frames that show their own index and fixed color patches (the same pattern as tests/data/make_test_videos.py):
/// top quarter: 10 cells, cell b white when bit b of the index is 1 (bit 0 leftmost); second quarter: gray 128;
/// bottom half: red, green, blue thirds from left to right.
/// </summary>
public static class PatternFrames
{
    public const int Bits = 10;

    /// <summary>The frame as packed RGB24 bytes.</summary>
    public static byte[] DrawRgb(int index, int width, int height)
    {
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = ColorAt(index, x, y, width, height);
                var p = (y * width + x) * 3;
                (pixels[p], pixels[p + 1], pixels[p + 2]) = (r, g, b);
            }
        }

        return pixels;
    }

    public static (byte R, byte G, byte B) ColorAt(int index, int x, int y, int width, int height)
    {
        if (y < height / 4)
        {
            var bit = (index >> Math.Min(x * Bits / width, Bits - 1)) & 1;
            return bit == 1 ? ((byte)255, (byte)255, (byte)255) : ((byte)0, (byte)0, (byte)0);
        }

        if (y < height / 2)
        {
            return (128, 128, 128);
        }

        return Math.Min(x * 3 / width, 2) switch
        {
            0 => (255, 0, 0),
            1 => (0, 255, 0),
            _ => (0, 0, 255),
        };
    }

    /// <summary>Reads the frame index back from a decoded image (BGR or gray, 8 or 16 bit, any size).</summary>
    public static int ReadIndex(Mat image)
    {
        var index = 0;
        for (var bit = 0; bit < Bits; bit++)
        {
            var x = (int)((bit + 0.5) * image.Width / Bits);
            var y = image.Height / 8;
            if (Brightness(image, x, y) > 0.5)
            {
                index |= 1 << bit;
            }
        }

        return index;
    }

    /// <summary>Every sample of a 16-bit, 3-channel image.</summary>
    public static IEnumerable<ushort> Samples16(Mat image)
    {
        var (height, width) = (image.Height, image.Width);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var pixel = image.Get<Vec3w>(y, x);
                yield return pixel.Item0;
                yield return pixel.Item1;
                yield return pixel.Item2;
            }
        }
    }

    /// <summary>The dominant channel of the left, middle and right bottom patches, as "R", "G" or "B".</summary>
    public static string ReadPatchOrder(Mat bgr)
    {
        var y = bgr.Height * 3 / 4;
        return string.Concat(Enumerable.Range(0, 3).Select(i => Dominant(bgr, (int)((i + 0.5) * bgr.Width / 3), y)));
    }

    private static double Brightness(Mat image, int x, int y)
    {
        var scale = image.ElemSize1() == 2 ? 65535.0 : 255.0;
        var mean = Cv2.Mean(new Mat(image, new Rect(Math.Max(0, x - 1), Math.Max(0, y - 1), 3, 3)));
        var channels = image.Channels();
        var sum = 0.0;
        for (var c = 0; c < channels; c++)
        {
            sum += mean[c];
        }

        return sum / channels / scale;
    }

    private static string Dominant(Mat bgr, int x, int y)
    {
        var mean = Cv2.Mean(new Mat(bgr, new Rect(x - 2, y - 2, 5, 5)));
        // OpenCV's decoded images are BGR: index 0 is blue, 2 is red.
        var (b, g, r) = (mean[0], mean[1], mean[2]);
        return r > g && r > b ? "R" : g > r && g > b ? "G" : "B";
    }
}
