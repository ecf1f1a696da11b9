using System.Runtime.InteropServices;

namespace Video2TfRecord.Video.Native;

/// <summary>
/// Which of the system's FFmpeg libraries the bindings use: the newest complete set of one release line the machine
/// has (FFmpeg 9, 8, 7, 6.1, 5, 4: <see cref="LibAvLayout.All"/>), opened by soname, its five majors checked against
/// that set's, and its struct layout chosen. Never a mix: a set whose five libraries do not all load, or do not all
/// report the set's majors, is not used. Checked once per process (loading a library is process-wide).
/// </summary>
/// <remarks>
/// <c>VIDEO2TFRECORD_FFMPEG_DIR</c> names a folder to load them from instead of the system's (an FFmpeg built
/// elsewhere); a folder without a set makes the FFmpeg backend unavailable, as on a machine that lacks them.
/// </remarks>
internal static class FFmpegLibraries
{
    /// <summary>The environment variable naming a folder to load the libraries from.</summary>
    public const string DirectoryVariable = "VIDEO2TFRECORD_FFMPEG_DIR";

    private static readonly Lazy<(string? Problem, string Versions, LibAvLayout? Layout)> State = new(Check);

    /// <summary>Why the FFmpeg backend cannot be used, in words for the user (with what to install), or null when it can.</summary>
    public static string? Problem => State.Value.Problem;

    /// <summary>The loaded libraries' versions, "libavformat 59.27.100, …" (what manifest.json and inspect record), or "".</summary>
    public static string Versions => State.Value.Versions;

    /// <summary>The struct layout of the loaded set, or null when none loaded.</summary>
    public static LibAvLayout? Layout => State.Value.Layout;

    /// <summary>
    /// Why libraries reporting <paramref name="found"/> (name, version as <c>*_version()</c> gives it) cannot be used as
    /// the set <paramref name="layout"/> describes, or null when every major is the set's (and libavcodec's minor is at
    /// least the layout's lowest).
    /// </summary>
    public static string? VersionProblem(LibAvLayout layout, IReadOnlyList<(string Name, uint Version)> found)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(found);
        var majors = Majors(layout);
        var wrongMajor = found.Any(f => f.Version >> 16 != majors.GetValueOrDefault(f.Name));
        var codec = found.FirstOrDefault(f => f.Name == "libavcodec");
        var oldMinor = codec.Name is not null && ((codec.Version >> 8) & 0xFF) < layout.MinimumAvCodecMinor;
        if (!wrongMajor && !oldMinor)
        {
            return null;
        }

        var expected = string.Join(", ", found.Select(f => $"{f.Name} {majors.GetValueOrDefault(f.Name)}"));
        var minor = oldMinor ? $" from {layout.AvCodec}.{layout.MinimumAvCodecMinor}" : "";
        return $"the FFmpeg libraries found ({Describe(found)}) are not the set of {layout.Release} the bindings know ({expected}{minor}): {Supported}";
    }

    /// <summary>The release lines the bindings know, for messages.</summary>
    public static string Supported { get; } =
        $"supported are {string.Join(", ", LibAvLayout.All.Reverse().Select(l => $"{l.Release} (libavcodec {l.AvCodec})"))}";

    private static Dictionary<string, int> Majors(LibAvLayout layout) => new(StringComparer.Ordinal)
    {
        ["libavformat"] = layout.AvFormat,
        ["libavcodec"] = layout.AvCodec,
        ["libavutil"] = layout.AvUtil,
        ["libswscale"] = layout.SwScale,
        ["libswresample"] = layout.SwResample,
    };

    private static string Describe(IReadOnlyList<(string Name, uint Version)> found) =>
        string.Join(", ", found.Select(f => $"{f.Name} {LibAv.VersionText(f.Version)}"));

    private static (string?, string, LibAvLayout?) Check()
    {
        var folder = Environment.GetEnvironmentVariable(DirectoryVariable);
        string Where(string soname) => string.IsNullOrEmpty(folder) ? soname : Path.Combine(folder, soname);
        var partial = new List<string>();
        foreach (var layout in LibAvLayout.All)
        {
            var handles = new List<nint>();
            foreach (var soname in layout.Sonames)
            {
                if (!NativeLibrary.TryLoad(Where(soname), out var handle))
                {
                    break;
                }

                handles.Add(handle);
            }

            if (handles.Count < layout.Sonames.Count)
            {
                if (handles.Count > 0)
                {
                    partial.Add($"{layout.Release}: {string.Join(", ", layout.Sonames.Skip(handles.Count).Take(1))} missing");
                }

                handles.ForEach(NativeLibrary.Free);
                continue;
            }

            return Use(layout, handles);
        }

        var found = partial.Count > 0 ? $" (incomplete sets: {string.Join("; ", partial)})" : Stray(Where);
        var where = string.IsNullOrEmpty(folder) ? "" : $" in {folder} ({DirectoryVariable})";
        return ($"no FFmpeg libraries of a supported release are installed{where}{found}; {Supported}; {InstallHint()}", "", null);
    }

    // The logical names of LibAv's imports resolve to this set's handles from now on: the set found is the set used.
    // The handles come in LibAvLayout.Sonames' order.
    private static (string?, string, LibAvLayout?) Use(LibAvLayout layout, List<nint> handles)
    {
        var byName = new Dictionary<string, nint>(StringComparer.Ordinal)
        {
            [LibAv.AvUtil] = handles[0],
            [LibAv.SwResample] = handles[1],
            [LibAv.SwScale] = handles[2],
            [LibAv.AvCodec] = handles[3],
            [LibAv.AvFormat] = handles[4],
        };
        NativeLibrary.SetDllImportResolver(typeof(LibAv).Assembly, (name, _, _) => byName.GetValueOrDefault(name));
        (string Name, uint Version)[] found =
        [
            ("libavformat", LibAv.avformat_version()),
            ("libavcodec", LibAv.avcodec_version()),
            ("libavutil", LibAv.avutil_version()),
            ("libswscale", LibAv.swscale_version()),
            ("libswresample", LibAv.swresample_version()),
        ];
        if (VersionProblem(layout, found) is { } problem)
        {
            return (problem, Describe(found), null);
        }

        // FFmpeg's own log would spill onto the user's terminal; failures are described in our words instead.
        LibAv.av_log_set_level(LibAv.AV_LOG_QUIET);
        return (null, Describe(found), layout);
    }

    // A libavcodec of a major the bindings do not know, named so the user sees what they have.
    private static string Stray(Func<string, string> where)
    {
        for (var major = 70; major >= 55; major--)
        {
            if (LibAvLayout.ForAvCodec(major) is null && NativeLibrary.TryLoad(where($"libavcodec.so.{major}"), out var handle))
            {
                NativeLibrary.Free(handle);
                return $" (found libavcodec.so.{major}, a release the bindings do not know)";
            }
        }

        return "";
    }

    // The apt command for this machine's release, from /etc/os-release.
    private static string InstallHint()
    {
        var codename = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").Select(l => l.Split('=', 2)).Where(p => p is ["VERSION_CODENAME", _]).Select(p => p[1].Trim('"')).FirstOrDefault()
            : null;
        var layout = codename switch
        {
            "bullseye" or "jammy" => LibAvLayout.FFmpeg4,
            "bookworm" => LibAvLayout.FFmpeg5,
            "noble" => LibAvLayout.FFmpeg6,
            "trixie" => LibAvLayout.FFmpeg7,
            "forky" or "sid" => LibAvLayout.FFmpeg9,
            _ => null,
        };
        return layout is null
            ? "install your distribution's FFmpeg runtime libraries (libavformat, libavcodec, libavutil, libswscale, libswresample), or run scripts/setup.sh"
            : $"on {codename}: apt-get install libavformat{layout.AvFormat} libavcodec{layout.AvCodec} libavutil{layout.AvUtil} libswscale{layout.SwScale} libswresample{layout.SwResample}";
    }
}
