using System.Globalization;

namespace Video2TfRecord.Video;

/// <summary>
/// A video could not be read: it names the file, what failed and, when known, the frame. The video is skipped
/// and listed; the other videos are still converted.
/// </summary>
public sealed class VideoReadException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/> with a cause in words.</summary>
    public VideoReadException(string path, string cause, int? frame = null, Exception? inner = null)
        : base(Describe(path, cause, frame), inner)
    {
        Path = path;
        Cause = cause;
        Frame = frame;
    }

    /// <summary>The video file.</summary>
    public string Path { get; }

    /// <summary>What went wrong, without the file name (for manifests and summaries).</summary>
    public string Cause { get; }

    /// <summary>The 0-based source frame where reading failed, when it is known.</summary>
    public int? Frame { get; }

    private static string Describe(string path, string cause, int? frame) => frame is { } f
        ? string.Create(CultureInfo.InvariantCulture, $"{path}: frame {f}: {cause}")
        : $"{path}: {cause}";
}
