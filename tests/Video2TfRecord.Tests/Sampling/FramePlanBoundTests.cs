using System.Text.Json;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Sampling;

/// <summary>
/// A frame plan too large for a record is refused before anything is decoded: from the options alone when they say
/// enough (exit 1), else per video as soon as its length is known (skipped with the numbers, exit 3) — never by growing
/// memory (issue 23, bug 1).
/// </summary>
public class FramePlanBoundTests
{
    [Fact]
    public void A_rate_whose_targets_pass_the_frame_bound_skips_the_video_before_decoding_with_the_numbers()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "two-seconds", 50, TestCodec.MjpegAvi, 32, 24, fps: 25);

        var run = BoundedCli.RunWithSmallHeap("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--fps", "1000000", "--size", "32x32", "-q");

        Assert.Equal(3, run.ExitCode);
        // 50 frames at 25 fps: the last frame is at 1.96 s, so 1,960,001 targets one microsecond apart.
        Assert.Contains("its frame plan has 1960001 frames (--fps 1000000), more than the 1000000 a record may hold", run.Error, StringComparison.Ordinal);
        var line = JsonDocument.Parse(File.ReadAllLines(temp.Combine("out", "videos.jsonl")).Single()).RootElement;
        Assert.Equal("skipped", line.GetProperty("status").GetString());
        Assert.Contains("frame plan has 1960001 frames", line.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_plan_whose_images_alone_pass_the_record_limit_skips_the_video_with_the_numbers()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "clip", 50, TestCodec.MjpegAvi, 32, 24, fps: 25);

        // All 50 frames raw at 32x24 RGB are 50 × 2304 bytes: more than 100000 before any framing.
        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "all", "--encoding", "raw", "--max-record-bytes", "100000", "-q");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("its record would be at least 115200 bytes (50 frames of 32x24, at least 2304 bytes each), more than --max-record-bytes 100000", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--frames", "100", "--size", "64x64", "--encoding", "raw", "--max-record-bytes", "1000000" },
        "--frames 100 of 64x64 frames: a record would be at least 1228800 bytes (100 frames, at least 12288 bytes each), more than --max-record-bytes 1000000; store fewer or smaller frames")]
    [InlineData(new[] { "--frames", "32", "--size", "32x32", "--max-record-bytes", "1000" },
        "--frames 32 of 32x32 frames: a record would be at least 1824 bytes (32 frames, at least 57 bytes each), more than --max-record-bytes 1000; store fewer or smaller frames")]
    public void A_plan_that_cannot_fit_by_the_options_alone_is_a_usage_error(string[] options, string message)
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "clip", 5, TestCodec.MjpegAvi, 32, 24);

        var run = CliRunner.Run(["convert", temp.Combine("in"), "-o", temp.Combine("out"), "-q", .. options]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("video2tfrecord: " + message, run.Error.Split('\n')[0]);
        Assert.False(Directory.Exists(temp.Combine("out")));
    }
}
