using System.Runtime.InteropServices;
using OpenCvSharp;

namespace Video2TfRecord.Video;

/// <summary>
/// Silences FFmpeg's and OpenCV's own log lines ("moov atom not found", …) so they never spill onto the user's
/// terminal; failures are described in our own words instead.
/// </summary>
/// <remarks>
/// OpenCV reads <c>OPENCV_FFMPEG_LOGLEVEL</c> and <c>OPENCV_LOG_LEVEL</c> from the native environment when the first
/// capture opens. <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes only .NET's copy, so the
/// variables are set through libc's <c>setenv</c>. Process-wide by nature, done once.
/// </remarks>
internal static partial class NativeDecoderLog
{
    private static readonly Lazy<bool> Silenced = new(SetQuiet);

    /// <summary>Makes sure the native log levels are set; cheap after the first call.</summary>
    public static void EnsureSilenced() => _ = Silenced.Value;

    private static bool SetQuiet()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return false;
        }

        // An explicit setting by the user (for debugging a decoder) wins.
        SetIfUnset("OPENCV_FFMPEG_LOGLEVEL", "-8");
        if (Environment.GetEnvironmentVariable("OPENCV_LOG_LEVEL") is null)
        {
            // OpenCV may have read its environment already (any earlier OpenCV call does): set the level directly too.
            _ = SetEnv("OPENCV_LOG_LEVEL", "SILENT", 0);
            _ = Cv2.SetLogLevel(LogLevel.SILENT);
        }

        return true;
    }

    private static void SetIfUnset(string name, string value)
    {
        if (Environment.GetEnvironmentVariable(name) is null)
        {
            _ = SetEnv(name, value, 0);
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
