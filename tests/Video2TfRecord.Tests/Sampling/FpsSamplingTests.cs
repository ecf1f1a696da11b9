using Video2TfRecord.Records;
using Video2TfRecord.Sampling;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Sampling;

public class FpsSamplingTests
{
    private static long[] Uniform(int frames, long stepUs) => Enumerable.Range(0, frames).Select(i => i * stepUs).ToArray();

    [Fact]
    public void Fps_targets_take_the_last_frame_at_or_before_each_time()
    {
        var indices = FrameSampler.SelectByRate(Uniform(30, 40_000), 10m, FrameCount.All);

        Assert.Equal([0, 2, 5, 7, 10, 12, 15, 17, 20, 22, 25, 27], indices);
    }

    [Fact]
    public void Fps_with_n_frames_keeps_the_centered_window_of_targets()
    {
        Assert.Equal([10, 12, 15, 17], FrameSampler.SelectByRate(Uniform(30, 40_000), 10m, FrameCount.Of(4)));
        Assert.Equal(12, FrameSampler.CountRateTargets(Uniform(30, 40_000), 10m));
    }

    [Fact]
    public void A_rate_above_the_source_repeats_frames()
    {
        Assert.Equal([0, 0, 1, 1, 2, 2, 3], FrameSampler.SelectByRate(Uniform(4, 40_000), 50m, FrameCount.All));
    }

    [Fact]
    public void Fewer_targets_than_frames_asked_for_are_padded_with_the_last()
    {
        Assert.Equal([0, 5, 5, 5], FrameSampler.SelectByRate(Uniform(6, 40_000), 5m, FrameCount.Of(4)));
    }

    [Fact]
    public void Fractional_rates_land_on_exact_multiples()
    {
        // 12.5 fps targets fall exactly on every second 40 ms frame; a float 1/12.5 would drift past some of them.
        Assert.Equal(Enumerable.Range(0, 15).Select(i => 2 * i), FrameSampler.SelectByRate(Uniform(30, 40_000), 12.5m, FrameCount.All));
        // 2.5 fps on a 10 fps source: every fourth frame, the last target at 2.8 s.
        Assert.Equal([0, 4, 8, 12, 16, 20, 24, 28], FrameSampler.SelectByRate(Uniform(30, 100_000), 2.5m, FrameCount.All));
    }

    [Fact]
    public void Fps_sampling_of_a_variable_rate_video_follows_presentation_times()
    {
        using var temp = new TempDirectory();
        // Frames 0..9 every 40 ms, then every 120 ms: frame i ≥ 10 is at 360 + (i − 9)·120 ms.
        TestVideo.Create(temp.Combine("in"), "vfr", 20, TestCodec.Ffv1Mkv, 48, 32, setpts: "if(lt(N\\,10)\\,N*0.04\\,0.36+(N-9)*0.12)/TB");

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--fps", "4", "--encoding", "png");

        Assert.True(run.ExitCode == 0, run.Error);
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        int[] expected = [0, 6, 10, 12, 14, 16, 18];
        Assert.Equal(expected.Select(i => (long)i), record.FrameIndices);
        Assert.Equal(expected, RecordFiles.StoredPatternIndices(record));
        Assert.Equal(new long[] { 0, 240_000, 480_000, 720_000, 960_000, 1_200_000, 1_440_000 }, record.Int64s(ExampleLayout.FrameTimestamp));
    }

    [Fact]
    public void Fps_and_frames_keep_the_centered_window_end_to_end()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "clip", 30, TestCodec.H264Mp4, 48, 32);

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--fps", "10", "--frames", "4");

        Assert.True(run.ExitCode == 0, run.Error);
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        Assert.Equal(new long[] { 10, 12, 15, 17 }, record.FrameIndices);
        Assert.Equal([10, 12, 15, 17], RecordFiles.StoredPatternIndices(record));
    }

    [Theory]
    [InlineData(new[] { "--fps", "0" }, "--fps")]
    [InlineData(new[] { "--sampling", "fps" }, "--fps F")]
    [InlineData(new[] { "--fps", "5", "--sampling", "linspace" }, "--fps selects")]
    public void Wrong_fps_options_exit_1(string[] options, string named)
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "clip", 2, TestCodec.MjpegAvi, 32, 24);

        var run = CliRunner.Run(["convert", temp.Combine("in"), "-o", temp.Combine("out"), .. options]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(named, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rate_above_the_source_warns_how_many_stored_frames_are_repeats()
    {
        using var temp = new TempDirectory();
        var path = TestVideo.Create(temp.Combine("in"), "clip", 20, TestCodec.H264Mp4, 48, 32, fps: 25);

        var fast = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("fast"), "--fps", "50", "--quiet");
        var slow = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("slow"), "--fps", "10", "--quiet");

        Assert.Equal(0, fast.ExitCode);
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("fast", "videos-00000-of-00001.tfrecord")));
        var repeats = record.FrameIndices.Count - record.FrameIndices.Distinct().Count();
        Assert.Equal(19, repeats);
        Assert.Contains($"{path}: --fps 50 is above the video's 25 fps: 19 of the 39 stored frames repeat the frame before them", fast.Error, StringComparison.Ordinal);
        Assert.Equal(0, slow.ExitCode);
        Assert.DoesNotContain("repeat", slow.Error, StringComparison.Ordinal);
    }
}
