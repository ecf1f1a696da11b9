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

        if (info.Length == 0)
        {
            throw new VideoReadException(path, "the file is empty (0 bytes)");
        }

        try
        {
            using (File.OpenRead(path))
            {
                // Opened only to report permissions in plain words; the libraries would just fail to open it.
            }
        }
        catch (UnauthorizedAccessException)
        {
            throw new VideoReadException(path, "permission denied: the file cannot be read");
        }
        catch (IOException e)
        {
            throw new VideoReadException(path, $"the file cannot be read ({e.Message})", inner: e);
        }
    }

    /// <summary>The cause both backends give for a file their library cannot open as a video.</summary>
    public const string NotAVideo = "not a readable video: no video stream, or a container or codec the decoder does not know";
}
