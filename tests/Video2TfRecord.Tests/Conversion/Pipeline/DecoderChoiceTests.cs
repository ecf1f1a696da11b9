using Video2TfRecord.Conversion.RunRecords;
using Video2TfRecord.Records;
using Video2TfRecord.Tests.Fixtures;
using Video2TfRecord.Video;
using Video2TfRecord.Video.Native;

namespace Video2TfRecord.Tests.Conversion.Pipeline;

/// <summary>
/// <c>--decoder</c>: both backends store the same source frames through every sampling mode, layout and flow option;
/// the run records which backend and library versions made it; a machine without the libraries falls back or refuses.
/// </summary>
public class DecoderChoiceTests
{
    public static TheoryData<string, string[]> Runs => new()
    {
        { "centered", ["--frames", "6"] },
        { "linspace", ["--frames", "6", "--sampling", "linspace"] },
        { "seed", ["--frames", "6", "--sampling", "seed"] },
        { "fps", ["--fps", "7"] },
        { "all", ["--frames", "all", "--layout", "sequence"] },
        { "short video padded", ["--frames", "60"] },
        { "flow next", ["--frames", "5", "--flow", "dis", "--layout", "sequence"] },
        { "flow stored seed", ["--frames", "5", "--flow", "farneback", "--flow-pairs", "stored", "--flow-format", "seed", "--encoding", "png"] },
        { "fit 16-bit", ["--frames", "4", "--size", "40x40", "--resize", "fit", "--dtype", "uint16"] },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void Both_backends_store_the_same_source_frames(string name, string[] options)
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        TestVideo.Create(input, "a", 45, TestCodec.H264Mp4, 96, 72);
        TestVideo.Create(input, "b", 30, TestCodec.Vp9Webm, 96, 72);
        TestVideo.Create(input, "c", 33, TestCodec.Mpeg4Avi, 96, 72);
        var stored = new Dictionary<string, List<(string?, IReadOnlyList<long>, int[])>>();

        foreach (var decoder in new[] { "ffmpeg", "opencv" })
        {
            var output = temp.Combine(decoder);
            var run = CliRunner.Run(["convert", input, "-o", output, "--decoder", decoder, "--quiet", .. options]);
            Assert.True(run.ExitCode == 0, $"{name}, {decoder}: {run.Error}");
            stored[decoder] = [.. RecordFiles.ReadAll(Path.Combine(output, "videos-00000-of-00001.tfrecord"))
                .Select(r => (r.Id, r.FrameIndices, RecordFiles.StoredPatternIndices(r)))];
        }

        Assert.Equal(3, stored["ffmpeg"].Count);
        Assert.All(stored["ffmpeg"], r => Assert.Equal(r.Item2.Select(i => (int)i), r.Item3));
        Assert.Equal(stored["opencv"].Select(r => (r.Item1, string.Join(",", r.Item2), string.Join(",", r.Item3))),
            stored["ffmpeg"].Select(r => (r.Item1, string.Join(",", r.Item2), string.Join(",", r.Item3))));
    }

    [Fact]
    public void The_manifest_and_inspect_name_the_backend_and_its_library_versions()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        TestVideo.Create(input, "a", 10, TestCodec.H264Mp4, 64, 48);

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--frames", "2", "--quiet");
        var inspect = CliRunner.Run("inspect", temp.Combine("out"));

        Assert.Equal(0, run.ExitCode);
        var manifest = RunManifest.Read(temp.Combine("out"))!;
        Assert.Equal("ffmpeg", manifest.Options["decoder"]);
        Assert.Equal(FFmpegLibraries.Versions, manifest.Decoder);
        Assert.Contains($"  decoder: ffmpeg ({FFmpegLibraries.Versions})", inspect.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_libraries_auto_falls_back_to_opencv_with_a_notice_and_ffmpeg_is_refused()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        TestVideo.Create(input, "a", 10, TestCodec.H264Mp4, 64, 48);
        var empty = new Dictionary<string, string> { [FFmpegLibraries.DirectoryVariable] = temp.CreateFolder("no-ffmpeg") };

        var auto = CliProcess.RunWith(empty, "convert", input, "-o", temp.Combine("auto"), "--frames", "2", "--quiet");
        var forced = CliProcess.RunWith(empty, "convert", input, "-o", temp.Combine("forced"), "--frames", "2", "--decoder", "ffmpeg", "--quiet");

        Assert.True(auto.ExitCode == 0, auto.Error);
        Assert.Contains($"warning: decoding with OpenCV's bundled FFmpeg (slower, no AV1) because no FFmpeg libraries of a supported release are installed in {temp.Combine("no-ffmpeg")} (VIDEO2TFRECORD_FFMPEG_DIR); supported are FFmpeg 4 (libavcodec 58), FFmpeg 5 (libavcodec 59), FFmpeg 6.1 (libavcodec 60), FFmpeg 7 (libavcodec 61), FFmpeg 8 (libavcodec 62), FFmpeg 9 (libavcodec 63)", auto.Error, StringComparison.Ordinal);
        Assert.Equal("opencv", RunManifest.Read(temp.Combine("auto"))!.Options["decoder"]);
        // 10 frames, centered 2: floor(10/4) = 2 and floor(30/4) = 7.
        Assert.Equal([2, 7], RecordFiles.StoredPatternIndices(Assert.Single(RecordFiles.ReadAll(temp.Combine("auto", "videos-00000-of-00001.tfrecord")))));
        Assert.Equal(1, forced.ExitCode);
        var line = Assert.Single(forced.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("video2tfrecord: --decoder ffmpeg: no FFmpeg libraries of a supported release are installed in", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("forced")) && Directory.EnumerateFiles(temp.Combine("forced")).Any());
    }

    [Theory]
    [InlineData(8, 1, 8)]
    [InlineData(8, 2, 4)]
    [InlineData(8, 3, 2)]
    [InlineData(8, 8, 1)]
    [InlineData(8, 64, 1)]
    [InlineData(2, 1, 2)]
    [InlineData(1, 4, 1)]
    [InlineData(16, 0, 16)]
    public void Decoder_threads_share_the_cores_among_the_videos_decoded_at_once(int cores, int jobs, int threads)
    {
        Assert.Equal(threads, VideoDecoder.ThreadsPerVideo(cores, jobs));
    }

    [Fact]
    public void The_decoder_made_for_a_run_takes_this_machines_cores()
    {
        // This machine's share, by the rule the table above fixes: all cores for one video, at least one thread at 64.
        Assert.Equal(Environment.ProcessorCount, Assert.IsType<FFmpegDecoder>(VideoDecoder.Create(DecoderBackend.Auto, 1)).Threads);
        Assert.Equal(1, Assert.IsType<FFmpegDecoder>(VideoDecoder.Create(DecoderBackend.Auto, Environment.ProcessorCount * 2)).Threads);
        Assert.Same(OpenCvDecoder.Instance, VideoDecoder.Create(DecoderBackend.OpenCV, 2));
    }

    [Fact]
    public void Libraries_of_another_major_are_named_with_the_ones_expected()
    {
        (string, uint)[] found = [("libavformat", (60u << 16) | (3 << 8) | 100), ("libavcodec", (59u << 16) | (37 << 8) | 100)];

        var problem = FFmpegLibraries.VersionProblem(LibAvLayout.FFmpeg5, found);

        Assert.Equal("the FFmpeg libraries found (libavformat 60.3.100, libavcodec 59.37.100) are not the set of FFmpeg 5 the bindings know (libavformat 59, libavcodec 59): "
            + FFmpegLibraries.Supported, problem);
        Assert.Null(FFmpegLibraries.VersionProblem(LibAvLayout.FFmpeg5, [("libavformat", (59u << 16) | (27 << 8) | 100)]));
    }

    [Fact]
    public void FFmpeg_6_0_shares_6_1_s_sonames_but_not_its_layout_and_is_refused_by_its_minor()
    {
        (string, uint)[] found = [("libavcodec", (60u << 16) | (3 << 8) | 100)];

        var problem = FFmpegLibraries.VersionProblem(LibAvLayout.FFmpeg6, found);

        Assert.StartsWith("the FFmpeg libraries found (libavcodec 60.3.100) are not the set of FFmpeg 6.1 the bindings know (libavcodec 60 from 60.31)", problem, StringComparison.Ordinal);
        Assert.Null(FFmpegLibraries.VersionProblem(LibAvLayout.FFmpeg6, [("libavcodec", (60u << 16) | (31 << 8) | 102)]));
    }

    [Fact]
    public void An_incomplete_set_of_another_release_is_passed_over_and_the_complete_one_is_used_whole()
    {
        using var temp = new TempDirectory();
        var installed = FFmpegLibraries.Layout!;

        // The installed set whole, and another release's libavutil and libswresample but not its libavcodec: never loaded beside it.
        var run = ConvertWith(temp, folder =>
        {
            LinkSet(folder, installed, installed);
            LinkSet(folder, Other(installed), installed, count: 2);
        });

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(FFmpegLibraries.Versions, RunManifest.Read(temp.Combine("out"))!.Decoder);
    }

    [Fact]
    public void A_set_whose_libraries_report_other_majors_is_refused_with_the_versions_named()
    {
        using var temp = new TempDirectory();
        var installed = FFmpegLibraries.Layout!;
        var other = Other(installed);

        // Another release's sonames, all five, but they are the installed libraries.
        var forced = ConvertWith(temp, folder => LinkSet(folder, other, installed));

        Assert.Equal(1, forced.ExitCode);
        Assert.Contains($"--decoder ffmpeg: the FFmpeg libraries found (libavformat {installed.AvFormat}.", forced.Error, StringComparison.Ordinal);
        Assert.Contains($"are not the set of {other.Release} the bindings know (libavformat {other.AvFormat}, libavcodec {other.AvCodec}, libavutil {other.AvUtil}",
            forced.Error, StringComparison.Ordinal);
    }

    // The newest release other than the installed one (newer than it on Debian 12, older on sid).
    private static LibAvLayout Other(LibAvLayout installed) => LibAvLayout.All.First(l => l != installed);

    // Converts a video with --decoder ffmpeg in a child process whose libraries come from a folder `link` fills.
    private static CliRunner.Outcome ConvertWith(TempDirectory temp, Action<string> link)
    {
        var input = temp.CreateFolder("in");
        TestVideo.Create(input, "a", 10, TestCodec.H264Mp4, 64, 48);
        var folder = temp.CreateFolder("ffmpeg");
        link(folder);
        return CliProcess.RunWith(new Dictionary<string, string> { [FFmpegLibraries.DirectoryVariable] = folder },
            "convert", input, "-o", temp.Combine("out"), "--frames", "2", "--decoder", "ffmpeg", "--quiet");
    }

    // Links the first `count` sonames of `names` in `folder` to the system's libraries of `target` (libavutil first).
    private static void LinkSet(string folder, LibAvLayout names, LibAvLayout target, int count = 5)
    {
        for (var i = 0; i < count; i++)
        {
            File.CreateSymbolicLink(Path.Combine(folder, names.Sonames[i]), SystemLibrary(target.Sonames[i]));
        }
    }

    // Where this process's set came from: the folder VIDEO2TFRECORD_FFMPEG_DIR names (the suite run against another
    // build, such as FFmpeg 6.1 made from source), else the system's library folders.
    private static string SystemLibrary(string soname) =>
        new[] { Environment.GetEnvironmentVariable(FFmpegLibraries.DirectoryVariable), "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib" }
            .OfType<string>().Select(d => Path.Combine(d, soname)).First(File.Exists);

    [Fact]
    public void A_damaged_stream_is_sampled_from_the_frames_that_decode_and_the_warning_says_which_were_lost()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        var path = TestVideo.Create(input, "damaged", 250, TestCodec.H264Mp4, 160, 120);
        TestVideo.Damage(path);
        var decodable = DecodedFrames.FfprobeFrameCount(path);

        var run = CliProcess.Run("convert", input, "-o", temp.Combine("out"), "--frames", "4", "--quiet");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Matches($@"{path}: the stream has 250 packets but decodes to {decodable} frames \(truncated or damaged; frames? [0-9–, ]+( and \d+ more runs)? did not decode \({250 - decodable} of 250\)\); sampling from the {decodable} frames that decode", run.Error);
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        Assert.Equal(decodable, record.Int64(ExampleLayout.VideoFrameCount));
        Assert.Equal(Enumerable.Range(0, 4).Select(i => (long)((2 * i + 1) * decodable / 8)), record.FrameIndices);
        // FFmpeg's own log ("[h264 @ 0x…] error while decoding MB …") stays off the terminal.
        Assert.DoesNotContain(" @ 0x", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ffmpeg", true)]
    [InlineData("opencv", false)]
    public void Uint16_from_a_10_bit_source_stores_its_real_bits_with_ffmpeg(string decoder, bool realBits)
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        TestVideo.Create(input, "deep", 6, TestCodec.H264High10Mp4, 96, 72);

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--frames", "2", "--dtype", "uint16", "--decoder", decoder, "--quiet");

        Assert.True(run.ExitCode == 0, run.Error);
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        Assert.Equal([1, 4], RecordFiles.StoredPatternIndices(record));
        using var image = RecordFiles.DecodeImages(record)[0];
        Assert.Equal(OpenCvSharp.MatType.CV_16UC3, image.Type());
        // OpenCV's backend decodes to 8 bits first, so its 16-bit samples are all value × 257.
        Assert.Equal(realBits, PatternFrames.Samples16(image).Any(v => v % 257 != 0));
    }
}
