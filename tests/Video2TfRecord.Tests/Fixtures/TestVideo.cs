using System.Collections.Concurrent;
using System.Diagnostics;

namespace Video2TfRecord.Tests.Fixtures;

/// <summary>Codecs the tests make videos with (through Debian's ffmpeg, which the product itself never needs).</summary>
public enum TestCodec
{
    H264Mp4,
    Mpeg4Avi,
    MjpegAvi,
    Ffv1Mkv,
    Vp9Webm,
    Mpeg2Ps,
    H264High10Mp4,
    HevcMp4,
    Av1Mkv,
    ProresMov,
    Ffv1GrayMkv,
    Mpeg2TsAt10s,
    H264OpenGopMp4,
    Mpeg4BFramesAvi,
}

/// <summary>Writes pattern videos of known content with ffmpeg.</summary>
/// <remarks>
/// A pattern video is a function of its parameters, so each is encoded once per test run and copied to every test that
/// asks for the same one (the suite asks for a few dozen distinct videos some two hundred times). Each test gets its own
/// copy, which it may truncate or corrupt. Videos drawn by a callback are always encoded afresh.
/// </remarks>
public static class TestVideo
{
    private static readonly ConcurrentDictionary<string, Lazy<string>> Encoded = new(StringComparer.Ordinal);
    private static readonly Lazy<string> CacheFolder = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("v2t-videos-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is not worth failing the run for.
            }
        };
        return folder;
    });

    public static string Extension(TestCodec codec) => codec switch
    {
        TestCodec.H264Mp4 => ".mp4",
        TestCodec.Mpeg4Avi or TestCodec.MjpegAvi or TestCodec.Mpeg4BFramesAvi => ".avi",
        TestCodec.Ffv1Mkv or TestCodec.Av1Mkv or TestCodec.Ffv1GrayMkv => ".mkv",
        TestCodec.H264High10Mp4 or TestCodec.HevcMp4 or TestCodec.H264OpenGopMp4 => ".mp4",
        TestCodec.ProresMov => ".mov",
        TestCodec.Mpeg2TsAt10s => ".ts",
        TestCodec.Vp9Webm => ".webm",
        TestCodec.Mpeg2Ps => ".mpg",
        _ => throw new ArgumentOutOfRangeException(nameof(codec)),
    };

    private static string[] CodecArguments(TestCodec codec) => codec switch
    {
        TestCodec.H264Mp4 => ["-c:v", "libx264", "-preset", "fast", "-crf", "16", "-pix_fmt", "yuv420p"],
        TestCodec.Mpeg4Avi => ["-c:v", "mpeg4", "-q:v", "2"],
        TestCodec.MjpegAvi => ["-c:v", "mjpeg", "-q:v", "2", "-pix_fmt", "yuvj444p"],
        TestCodec.Ffv1Mkv => ["-c:v", "ffv1", "-pix_fmt", "bgr0"],
        TestCodec.Vp9Webm => ["-c:v", "libvpx-vp9", "-crf", "20", "-b:v", "0", "-deadline", "realtime", "-cpu-used", "8"],
        TestCodec.Mpeg2Ps => ["-c:v", "mpeg2video", "-q:v", "2", "-f", "mpeg"],
        TestCodec.H264High10Mp4 => ["-c:v", "libx264", "-preset", "fast", "-crf", "16", "-pix_fmt", "yuv420p10le", "-profile:v", "high10"],
        TestCodec.HevcMp4 => ["-c:v", "libx265", "-preset", "ultrafast", "-crf", "16", "-pix_fmt", "yuv420p", "-tag:v", "hvc1", "-x265-params", "log-level=error"],
        // ffmpeg 4.3 still calls its libaom encoder experimental.
        TestCodec.Av1Mkv => ["-c:v", "libaom-av1", "-cpu-used", "8", "-usage", "realtime", "-crf", "20", "-b:v", "0", "-strict", "experimental"],
        TestCodec.ProresMov => ["-c:v", "prores_ks", "-profile:v", "2"],
        TestCodec.Ffv1GrayMkv => ["-c:v", "ffv1", "-pix_fmt", "gray"],
        TestCodec.Mpeg2TsAt10s => ["-c:v", "mpeg2video", "-q:v", "2", "-f", "mpegts", "-output_ts_offset", "10"],
        // Keyframes that are not IDR (open GOP): frames shown before them reference the previous GOP.
        TestCodec.H264OpenGopMp4 => ["-c:v", "libx264", "-preset", "fast", "-crf", "16", "-pix_fmt", "yuv420p", "-bf", "3", "-x264-params", "open-gop=1:keyint=50"],
        // B-frames in AVI: packed into one chunk with the frame before them (DivX style).
        TestCodec.Mpeg4BFramesAvi => ["-c:v", "mpeg4", "-q:v", "2", "-bf", "2"],
        _ => throw new ArgumentOutOfRangeException(nameof(codec)),
    };

    /// <summary>
    /// Writes <paramref name="frames"/> pattern frames to <c>folder/name + extension</c> and returns the path;
    /// <paramref name="setpts"/> is an optional ffmpeg setpts expression giving frames other times (variable rate);
    /// <paramref name="draw"/> draws frame i as packed RGB24 instead of the index pattern.
    /// </summary>
    public static string Create(string folder, string name, int frames, TestCodec codec = TestCodec.H264Mp4,
        int width = 160, int height = 120, int fps = 25, string? setpts = null, Func<int, byte[]>? draw = null)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + Extension(codec));
        if (draw is not null)
        {
            return Encode(path, frames, codec, width, height, fps, setpts, draw);
        }

        var key = $"{frames}-{codec}-{width}x{height}-{fps}-{setpts}";
        var encoded = Encoded.GetOrAdd(key, _ => new Lazy<string>(() =>
            Encode(Path.Combine(CacheFolder.Value, Guid.NewGuid().ToString("N") + Extension(codec)), frames, codec, width, height, fps, setpts, null)));
        File.Copy(encoded.Value, path, overwrite: true);
        // As if just written: resume tests tell videos apart by size and modification time.
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
        return path;
    }

    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="destination"/> with a display matrix turning it
    /// <paramref name="degrees"/> clockwise. ffmpeg 6 and later write it from <c>-display_rotation</c> (counter-clockwise
    /// degrees) and keep a <c>rotate</c> tag as a plain tag; ffmpeg 5 makes the matrix from the tag.
    /// </summary>
    public static void Rotate(string source, string destination, int degrees)
    {
        try
        {
            ExternalProgram.Run("ffmpeg", ["-v", "error", "-y", "-display_rotation:v:0", (-degrees).ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", source,
                "-c", "copy", destination]);
        }
        catch (InvalidOperationException)
        {
            // ffmpeg 5 has no -display_rotation.
            ExternalProgram.Run("ffmpeg", ["-v", "error", "-y", "-i", source, "-c", "copy", "-metadata:s:v:0", $"rotate={degrees}", destination]);
        }
    }

    private static string Encode(string path, int frames, TestCodec codec, int width, int height, int fps, string? setpts, Func<int, byte[]>? draw)
    {
        var start = new ProcessStartInfo("ffmpeg")
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", $"{width}x{height}", "-r", $"{fps}", "-i", "-" })
        {
            start.ArgumentList.Add(argument);
        }

        if (setpts is not null)
        {
            // No edit list: ffmpeg 7's mp4 muxer ends it before the last frame of a variable-rate stream (the packet is
            // then flagged discard, and FFmpeg itself shows 11 of 12 frames), ffmpeg 5's does not; without one, both
            // write the same 12 frames.
            string[] editList = Extension(codec) is ".mp4" or ".mov" ? ["-use_editlist", "0"] : [];
            // ffmpeg 5 renamed -vsync to -fps_mode (and 8 dropped -vsync); Debian 11's ffmpeg 4.3 knows only -vsync.
            string[] arguments = ["-vf", $"setpts={setpts}", ExternalProgram.FfmpegMajor >= 5 ? "-fps_mode" : "-vsync", "passthrough", .. editList];
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in CodecArguments(codec))
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add(path);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start");
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            using var input = process.StandardInput.BaseStream;
            for (var i = 0; i < frames; i++)
            {
                input.Write(draw is null ? PatternFrames.DrawRgb(i, width, height) : draw(i));
            }
        }
        catch (IOException)
        {
            // ffmpeg stopped reading (it refused an argument): its own words below say why, not the broken pipe.
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg failed making {path}: {errors.Result}");
        }

        return path;
    }

    /// <summary>
    /// Writes random bytes (fixed seed) over the middle third of a file, as a disk or network error would leave them;
    /// an mp4's index (moov, at the end) stays whole.
    /// </summary>
    public static void Damage(string path)
    {
        var bytes = File.ReadAllBytes(path);
        new Random(7).NextBytes(bytes.AsSpan(bytes.Length / 3, bytes.Length / 3));
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>
    /// Writes <paramref name="video"/>'s video stream (copied) with <paramref name="audio"/>, an ffmpeg lavfi audio source
    /// (<c>sine=frequency=440:duration=4</c>, <c>aevalsrc='…':s=44100:d=10</c>), encoded as <paramref name="codec"/>,
    /// to <paramref name="path"/>; returns the path.
    /// </summary>
    public static string WithAudio(string video, string audio, string path, string codec = "aac")
    {
        ExternalProgram.Run("ffmpeg", ["-v", "error", "-y", "-i", video, "-f", "lavfi", "-i", audio,
            "-map", "0:v", "-map", "1:a", "-c:v", "copy", "-c:a", codec, "-b:a", "192k", path]);
        return path;
    }

    /// <summary>A committed file from tests/data (copied next to the test assembly).</summary>
    public static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);
}
