using System.Text.Json;
using Video2TfRecord.Records;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Conversion.Annotations;

/// <summary>
/// Clips end to end (<c>--clips</c>, <c>--clip-length</c>): which source frames each clip's record holds, its id, window,
/// label and caption, and the videos.jsonl line of every row; read back from real records of a real 10 s video whose
/// frames show their own index.
/// </summary>
public class ClipConversionTests
{
    // 250 frames at 25 fps: frame i is shown at i·40 ms and draws the pattern of index i.
    private static string MakeVideo(TempDirectory temp, string name = "a") =>
        TestVideo.Create(temp.CreateFolder("in"), name, 250, TestCodec.H264Mp4, 64, 48);

    private static List<ParsedRecord> Records(string folder) =>
        Directory.GetFiles(folder, "*.tfrecord*").Order(StringComparer.Ordinal).SelectMany(RecordFiles.ReadAll).ToList();

    private static List<JsonElement> Lines(string folder) =>
        File.ReadAllLines(Path.Combine(folder, "videos.jsonl")).Select(line => JsonDocument.Parse(line).RootElement).ToList();

    [Theory]
    [InlineData("example")]
    [InlineData("sequence")]
    public void Each_row_is_a_record_of_the_frames_in_its_window(string layout)
    {
        using var temp = new TempDirectory();
        MakeVideo(temp);
        var csv = temp.Combine("clips.csv");
        File.WriteAllText(csv, "video_path,start,end,label,caption\na.mp4,2,4,jump,\"naïve, “quoted” — 日本\"\na,0.5,1.5,sit,short\n");

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--clips", csv, "--frames", "4", "--layout", layout);

        Assert.True(run.ExitCode == 0, run.Error);
        var records = Records(temp.Combine("out"));
        // Clips of one video come in time order: [0.5 s, 1.5 s) is frames 13..37, [2 s, 4 s) frames 50..99; centered
        // sampling over each window's own frames.
        Assert.Equal(["a_000500_001500", "a_002000_004000"], records.Select(r => r.Id));
        Assert.Equal([16, 22, 28, 34], RecordFiles.StoredPatternIndices(records[0]));
        Assert.Equal([56, 68, 81, 93], RecordFiles.StoredPatternIndices(records[1]));
        Assert.Equal([56L, 68, 81, 93], records[1].FrameIndices);
        Assert.Equal(new RecordClip("a", 2_000_000L, 4_000_000L), records[1].Clip);
        Assert.Equal(new RecordClip("a", 500_000L, 1_500_000L), records[0].Clip);
        Assert.Equal("naïve, “quoted” — 日本", records[1].Caption);
        Assert.Equal("short", records[0].Caption);
        Assert.Equal([(1L, "sit"), (0L, "jump")], records.Select(r => (r.LabelIndex!.Value, r.LabelText!)));
        // Timestamps stay on the video's clock, so they can be checked against the source.
        var timestamps = layout == "example"
            ? records[1].Int64s(ExampleLayout.FrameTimestamp)
            : records[1].Lists!.FeatureList[SequenceLayout.ImageTimestamp].Feature.Select(f => f.Int64List.Value[0]).ToList();
        Assert.Equal([2_240_000L, 2_720_000, 3_240_000, 3_720_000], timestamps);
        Assert.Equal("a.mp4", records[1].VideoPath);
        if (layout == "sequence")
        {
            Assert.Equal("a", records[1].Text(SequenceLayout.MediaId));
            Assert.Equal("naïve, “quoted” — 日本", records[1].Text(SequenceLayout.Caption));
        }
        else
        {
            Assert.Equal("a", records[1].Text(ExampleLayout.SourceId));
            Assert.Equal("naïve, “quoted” — 日本", records[1].Text(ExampleLayout.Caption));
        }

        var lines = Lines(temp.Combine("out"));
        Assert.Equal([3L, 2L], lines.Select(l => l.GetProperty("clip_row").GetInt64()));
        Assert.Equal(["a_000500_001500", "a_002000_004000"], lines.Select(l => l.GetProperty("id").GetString()));
        Assert.All(lines, l => Assert.Equal("a", l.GetProperty("source_id").GetString()));
        Assert.Equal(2_000_000, lines[1].GetProperty("clip_start_us").GetInt64());
        Assert.Equal(4_000_000, lines[1].GetProperty("clip_end_us").GetInt64());
    }

    [Fact]
    public void Windows_reaching_out_of_the_video_are_clipped_or_skipped_with_their_reason()
    {
        using var temp = new TempDirectory();
        MakeVideo(temp);
        var csv = temp.Combine("clips.csv");
        // Kinetics' header; an open end; a window past the end; one wholly after it; one between two frames; a missing video.
        File.WriteAllText(csv, "label,youtube_id,time_start,time_end\nx,a,9.5,\nx,a,9,12\nx,a,11,12\nx,a,1.001,1.002\nx,gone,0,1\n");

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--clips", csv, "--frames", "all");

        Assert.Equal(3, run.ExitCode);
        var records = Records(temp.Combine("out"));
        Assert.Equal(["a_009000_012000", "a_009500_end"], records.Select(r => r.Id));
        Assert.Equal(Enumerable.Range(225, 25), RecordFiles.StoredPatternIndices(records[0]));
        Assert.Equal(new RecordClip("a", 9_000_000L, 10_000_000L), records[0].Clip);
        Assert.Equal(Enumerable.Range(238, 12), RecordFiles.StoredPatternIndices(records[1]));
        Assert.Equal(new RecordClip("a", 9_500_000L, 10_000_000L), records[1].Clip);

        var lines = Lines(temp.Combine("out")).ToDictionary(l => l.GetProperty("id").GetString()!);
        Assert.Contains("clipped to [9 s, 10 s)", lines["a_009000_012000"].GetProperty("warnings")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("skipped", lines["a_011000_012000"].GetProperty("status").GetString());
        Assert.Contains("starts at or after the video's end at 10 s", lines["a_011000_012000"].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("shorter than one frame", lines["a_001001_001002"].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("no video of the inputs matches 'gone'", lines["gone_000000_001000"].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("(clip a_011000_012000)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_sampling_mode_applies_inside_the_window()
    {
        using var temp = new TempDirectory();
        MakeVideo(temp);
        var csv = temp.Combine("clips.csv");
        File.WriteAllText(csv, "path,start,end\na.mp4,2,4\n");
        var expected = new Dictionary<string[], int[]>
        {
            [["--frames", "3", "--sampling", "linspace"]] = [50, 74, 99],
            [["--frames", "3", "--sampling", "seed"]] = [50, 66, 82],
            [["--fps", "5"]] = [50, 55, 60, 65, 70, 75, 80, 85, 90, 95],
            [["--fps", "5", "--frames", "2"]] = [70, 75],
            [["--frames", "60"]] = [.. Enumerable.Range(50, 50), .. Enumerable.Repeat(99, 10)],
        };
        foreach (var (options, indices) in expected)
        {
            var output = temp.Combine("out-" + string.Join("", options));
            var run = CliRunner.Run(["convert", temp.Combine("in"), "-o", output, "--clips", csv, .. options]);
            Assert.True(run.ExitCode == 0, run.Error);
            Assert.Equal(indices.Select(i => (long)i), Records(output).Single().FrameIndices);
        }

        var skip = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("skip"), "--clips", csv, "--frames", "60", "--short-video", "skip");
        Assert.Equal(3, skip.ExitCode);
        Assert.Contains("the clip has 50 frames, fewer than the 60 asked for", skip.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4", null, "pad", new[] { "a_000000_004000", "a_004000_008000", "a_008000_010000" }, 0)]
    [InlineData("4", null, "skip", new[] { "a_000000_004000", "a_004000_008000" }, 3)]
    [InlineData("4", "3", "pad", new[] { "a_000000_004000", "a_003000_007000", "a_006000_010000", "a_009000_010000" }, 0)]
    [InlineData("2.5", null, "error", new[] { "a_000000_002500", "a_002500_005000", "a_005000_007500", "a_007500_010000" }, 0)]
    public void Fixed_windows_cover_the_video_and_the_last_partial_one_follows_short_video(string length, string? stride, string policy, string[] ids, int exit)
    {
        using var temp = new TempDirectory();
        MakeVideo(temp);
        string[] strideOption = stride is null ? [] : ["--clip-stride", stride];

        var run = CliRunner.Run(["convert", temp.Combine("in"), "-o", temp.Combine("out"), "--clip-length", length, .. strideOption, "--frames", "2",
            "--short-video", policy, "--videos-per-file", "2"]);

        Assert.True(run.ExitCode == exit, run.Error);
        var records = Records(temp.Combine("out"));
        Assert.Equal(ids, records.Select(r => r.Id));
        foreach (var record in records)
        {
            var (_, start, end) = record.Clip!;
            Assert.All(RecordFiles.StoredPatternIndices(record), i => Assert.InRange(i * 40_000L, start, end - 1));
        }

        if (exit == 3)
        {
            Assert.Contains("the last window [8 s, 10 s) is shorter than --clip-length 4 s (--short-video skip)", run.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Clip_records_are_the_same_bytes_for_any_jobs_for_workers_and_after_resume()
    {
        using var temp = new TempDirectory();
        MakeVideo(temp, "a");
        TestVideo.Create(temp.Combine("in"), "b", 100, TestCodec.H264Mp4, 64, 48);
        string[] common = ["--clip-length", "1.5", "--frames", "3", "--videos-per-file", "3"];
        Assert.Equal(0, CliRunner.Run(["convert", temp.Combine("in"), "-o", temp.Combine("one"), "--jobs", "1", .. common]).ExitCode);
        Assert.Equal(0, CliRunner.Run(["convert", temp.Combine("in"), "-o", temp.Combine("two"), "--jobs", "2", .. common]).ExitCode);
        for (var w = 0; w < 2; w++)
        {
            Assert.Equal(0, CliRunner.Run(["convert", temp.Combine("in"), "-o", temp.Combine("workers"), "--worker-index", $"{w}", "--worker-count", "2", .. common]).ExitCode);
        }

        Assert.Equal(0, CliRunner.Run("merge-manifests", temp.Combine("workers")).ExitCode);
        // A resumed run redoes the shards that are not as the manifest lists them: here a lost one.
        File.Delete(temp.Combine("one", "videos-00002-of-00004.tfrecord"));
        var resumed = CliRunner.Run(["convert", temp.Combine("in"), "-o", temp.Combine("one"), "--resume", .. common]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);

        var files = Directory.GetFiles(temp.Combine("one"), "*.tfrecord").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(4, files.Count); // 7 windows of a and 3 of b, 3 per file
        foreach (var folder in new[] { "two", "workers" })
        {
            Assert.Equal(files, Directory.GetFiles(temp.Combine(folder), "*.tfrecord").Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.All(files, f => Assert.Equal(File.ReadAllBytes(temp.Combine("one", f!)), File.ReadAllBytes(temp.Combine(folder, f!))));
        }

        Assert.Equal(File.ReadAllText(temp.Combine("one", "videos.jsonl")), File.ReadAllText(temp.Combine("workers", "videos.jsonl")));
        Assert.Equal(["b_000000_001500", "b_001500_003000", "b_003000_004000"], Records(temp.Combine("one")).Select(r => r.Id).TakeLast(3));
    }
}
