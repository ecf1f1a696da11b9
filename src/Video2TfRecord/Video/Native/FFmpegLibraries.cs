using System.Runtime.InteropServices;

namespace Video2TfRecord.Video.Native;

/// <summary>
/// Whether the system's FFmpeg libraries can be used: they load, and their majors are the ones the struct layouts in
/// <see cref="AVStream"/> and its kin were written for. Checked once per process (loading a library is process-wide).
/// </summary>
/// <remarks>
/// <c>VIDEO2TFRECORD_FFMPEG_DIR</c> names a folder to load them from instead of the system's (an FFmpeg 5.1 built
/// elsewhere); a folder without them makes the FFmpeg backend unavailable, as on a machine that lacks them.
/// </remarks>
internal static class FFmpegLibraries
{
    /// <summary>The environment variable naming a folder to load the libraries from.</summary>
    public const string DirectoryVariable = "VIDEO2TFRECORD_FFMPEG_DIR";

    private static readonly string[] Names = [LibAv.AvUtil, LibAv.AvCodec, LibAv.AvFormat, LibAv.SwScale, LibAv.SwResample];
    private static readonly Lazy<(string? Problem, string Versions)> State = new(Check);

    /// <summary>Why the libraries cannot be used, in one line, or null when they can.</summary>
    public static string? Problem => State.Value.Problem;

    /// <summary>The versions found, e.g. "libavformat 59.27.100, libavcodec 59.37.100, …" (empty when they do not load).</summary>
    public static string Versions => State.Value.Versions;

    /// <summary>
    /// Why libraries of these packed versions (<c>*_version()</c>) cannot be used with bindings written for
    /// <c>Major</c>, naming both, or null when every major matches.
    /// </summary>
    public static string? VersionProblem(IReadOnlyList<(string Name, uint Version, int Major)> found)
    {
        ArgumentNullException.ThrowIfNull(found);
        if (found.All(f => f.Version >> 16 == f.Major))
        {
            return null;
        }

        var expected = string.Join(", ", found.Select(f => $"{f.Name} {f.Major}"));
        return $"the FFmpeg libraries found ({Describe(found)}) are not the majors the bindings were written for ({expected}, FFmpeg 5.1)";
    }

    private static string Describe(IReadOnlyList<(string Name, uint Version, int Major)> found) =>
        string.Join(", ", found.Select(f => $"{f.Name} {LibAv.VersionText(f.Version)}"));

    private static (string?, string) Check()
    {
        var folder = Environment.GetEnvironmentVariable(DirectoryVariable);
        var handles = new Dictionary<string, nint>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var name in Names)
        {
            if (NativeLibrary.TryLoad(string.IsNullOrEmpty(folder) ? name : Path.Combine(folder, name), out var handle))
            {
                handles[name] = handle;
            }
            else
            {
                missing.Add(name);
            }
        }

        if (missing.Count > 0)
        {
            var where = string.IsNullOrEmpty(folder) ? "" : $" in {folder} ({DirectoryVariable})";
            return ($"the FFmpeg 5.1 libraries are not installed: {string.Join(", ", missing)} not found{where} (on Debian 12: apt-get install libavformat59 libavcodec59 libavutil57 libswscale6 libswresample4)", "");
        }

        if (!string.IsNullOrEmpty(folder))
        {
            NativeLibrary.SetDllImportResolver(typeof(LibAv).Assembly, (name, _, _) => handles.GetValueOrDefault(name));
        }

        (string Name, uint Version, int Major)[] found =
        [
            ("libavformat", LibAv.avformat_version(), LibAv.AvFormatMajor),
            ("libavcodec", LibAv.avcodec_version(), LibAv.AvCodecMajor),
            ("libavutil", LibAv.avutil_version(), LibAv.AvUtilMajor),
            ("libswscale", LibAv.swscale_version(), LibAv.SwScaleMajor),
            ("libswresample", LibAv.swresample_version(), LibAv.SwResampleMajor),
        ];
        if (VersionProblem(found) is { } problem)
        {
            return (problem, Describe(found));
        }

        // FFmpeg's own log would spill onto the user's terminal; failures are described in our words instead.
        LibAv.av_log_set_level(LibAv.AV_LOG_QUIET);
        return (null, Describe(found));
    }
}
