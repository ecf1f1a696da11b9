using System.Runtime.InteropServices;

namespace Video2TfRecord.Video.Native;

/// <summary>
/// Whether the system's FFmpeg libraries can be used: they load, and their majors are the ones the struct layouts in
/// <see cref="AVStream"/> and its kin were written for. Checked once per process (loading a library is process-wide).
/// </summary>
internal static class FFmpegLibraries
{
    private static readonly Lazy<(string? Problem, string Versions)> State = new(Check);

    /// <summary>Why the libraries cannot be used, in one line, or null when they can.</summary>
    public static string? Problem => State.Value.Problem;

    /// <summary>The versions found, e.g. "libavformat 59.27.100, libavcodec 59.37.100, …" (empty when they do not load).</summary>
    public static string Versions => State.Value.Versions;

    private static (string?, string) Check()
    {
        string[] names = [LibAv.AvUtil, LibAv.AvCodec, LibAv.AvFormat, LibAv.SwScale];
        var missing = names.Where(name => !NativeLibrary.TryLoad(name, out _)).ToArray();
        if (missing.Length > 0)
        {
            return ($"the FFmpeg 5.1 libraries are not installed: {string.Join(", ", missing)} not found (on Debian 12: apt-get install libavformat59 libavcodec59 libavutil57 libswscale6)", "");
        }

        (string Name, uint Version, int Major)[] found =
        [
            ("libavformat", LibAv.avformat_version(), LibAv.AvFormatMajor),
            ("libavcodec", LibAv.avcodec_version(), LibAv.AvCodecMajor),
            ("libavutil", LibAv.avutil_version(), LibAv.AvUtilMajor),
            ("libswscale", LibAv.swscale_version(), LibAv.SwScaleMajor),
        ];
        var versions = string.Join(", ", found.Select(f => $"{f.Name} {LibAv.VersionText(f.Version)}"));
        if (found.Any(f => f.Version >> 16 != f.Major))
        {
            var expected = string.Join(", ", found.Select(f => $"{f.Name} {f.Major}"));
            return ($"the FFmpeg libraries found ({versions}) are not the majors the bindings were written for ({expected})", versions);
        }

        // FFmpeg's own log would spill onto the user's terminal; failures are described in our words instead.
        LibAv.av_log_set_level(LibAv.AV_LOG_QUIET);
        return (null, versions);
    }
}
