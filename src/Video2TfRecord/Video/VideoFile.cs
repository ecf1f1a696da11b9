namespace Video2TfRecord.Video;

/// <summary>The checks every backend makes before handing a file to its library, so the causes read the same.</summary>
internal static class VideoFile
{
    /// <summary>Throws with a plain cause when <paramref name="path"/> is missing, empty or unreadable.</summary>
    /// <exception cref="VideoReadException">The file cannot be read.</exception>
    public static void CheckReadable(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new VideoReadException(path, "the file does not exist");
        }

        // A pipe, a device or <(cat v.mp4) has no length: say what it is rather than "empty".
        if (Storage.FileKind.Refusal(path) is { } refusal)
        {
            throw new VideoReadException(path, refusal);
        }

        if (info.Length == 0)
        {
            throw new VideoReadException(path, "the file is empty (0 bytes)");
        }

        string? image;
        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> start = stackalloc byte[12];
            image = StillImageFormat(start[..stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false)]);
        }
        catch (UnauthorizedAccessException)
        {
            throw new VideoReadException(path, "permission denied: the file cannot be read");
        }
        catch (IOException e)
        {
            throw new VideoReadException(path, $"the file cannot be read ({e.Message})", inner: e);
        }

        // A raw Motion-JPEG stream starts like a JPEG and is a video.
        if (image is not null && !(image == "JPEG" && Path.GetExtension(path).ToUpperInvariant() is ".MJPEG" or ".MJPG"))
        {
            // FFmpeg opens it as a one-frame video, which sampling would store N times over.
            throw new VideoReadException(path, $"a still image ({image}), not a video");
        }
    }

    /// <summary>The image format a file starts like (PNG, JPEG, BMP, TIFF, WebP), or null. GIF is not one: it can move.</summary>
    internal static string? StillImageFormat(ReadOnlySpan<byte> start) => start switch
    {
        [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => "PNG",
        [0xFF, 0xD8, 0xFF, ..] => "JPEG",
        [(byte)'B', (byte)'M', _, _, _, _, 0, 0, 0, 0, ..] => "BMP",
        [(byte)'I', (byte)'I', 0x2A, 0, ..] or [(byte)'M', (byte)'M', 0, 0x2A, ..] => "TIFF",
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => "WebP",
        _ => null,
    };

    /// <summary>The cause both backends give for a file their library cannot open as a video.</summary>
    public const string NotAVideo = "not a readable video: no video stream, or a container or codec the decoder does not know";
}
