using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Conversion;

public class BadInputTests
{
    [Fact]
    public void Unreadable_videos_are_skipped_named_and_the_rest_converted_with_exit_3()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        TestVideo.Create(input, "a-good", 6, TestCodec.MjpegAvi, 32, 24);
        File.WriteAllBytes(Path.Combine(input, "b-empty.mp4"), []);
        File.WriteAllText(Path.Combine(input, "c-text.mp4"), "not a video at all\n");
        TestVideo.Create(input, "d-good", 6, TestCodec.Mpeg4Avi, 32, 24);

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--frames", "2");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"{Path.Combine(input, "b-empty.mp4")}: the file is empty", run.Error, StringComparison.Ordinal);
        Assert.Contains($"{Path.Combine(input, "c-text.mp4")}: not a readable video", run.Error, StringComparison.Ordinal);
        Assert.Contains("not written (2)", run.Output, StringComparison.Ordinal);
        var ids = RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")).Select(r => r.Id);
        Assert.Equal(["a-good", "d-good"], ids);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_video_keeps_the_frames_that_decode_and_warns()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        var path = TestVideo.Create(input, "cut", 40, TestCodec.MjpegAvi, 64, 48);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--frames", "4");

        Assert.True(run.ExitCode == 0, run.Error);
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        var total = record.Int64(Video2TfRecord.Records.ExampleLayout.VideoFrameCount)!.Value;
        Assert.InRange(total, 10, 30);
        var expected = Enumerable.Range(0, 4).Select(i => (2 * i + 1) * total / 8).ToArray();
        Assert.Equal(expected, record.FrameIndices);
        Assert.Equal(expected.Select(i => (int)i), RecordFiles.StoredPatternIndices(record));
    }

    [Theory]
    [InlineData(new[] { "--frames", "0" }, "--frames")]
    [InlineData(new[] { "--frames", "many" }, "--frames")]
    [InlineData(new[] { "--size", "0x10" }, "--size")]
    [InlineData(new[] { "--size", "128" }, "--size")]
    [InlineData(new[] { "--layout", "tensor" }, "--layout")]
    [InlineData(new[] { "--encoding", "gif" }, "--encoding")]
    [InlineData(new[] { "--compression", "bz2" }, "--compression")]
    [InlineData(new[] { "--videos-per-file", "0" }, "--videos-per-file")]
    [InlineData(new[] { "--encoding", "raw", "--layout", "sequence" }, "--encoding raw")]
    [InlineData(new[] { "--encoding", "jpeg", "--dtype", "uint16" }, "--encoding jpeg")]
    public void Wrong_option_values_exit_1_with_one_line_naming_the_option(string[] options, string named)
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "clip", 2, TestCodec.MjpegAvi, 32, 24);

        var run = CliRunner.Run(["convert", temp.Combine("in"), "-o", temp.Combine("out"), .. options]);

        Assert.Equal(1, run.ExitCode);
        var first = run.Error.Split('\n')[0];
        Assert.StartsWith("video2tfrecord: ", first, StringComparison.Ordinal);
        Assert.Contains(named, first, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("out")) && Directory.EnumerateFiles(temp.Combine("out")).Any());
    }

    [Fact]
    public void A_missing_input_exits_1_naming_it()
    {
        using var temp = new TempDirectory();

        var run = CliRunner.Run("convert", temp.Combine("nowhere"), "-o", temp.Combine("out"));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"video2tfrecord: input not found: {temp.Combine("nowhere")}", run.Error.Trim());
    }

    [Fact]
    public void An_empty_folder_exits_1_saying_nothing_matched()
    {
        using var temp = new TempDirectory();
        temp.CreateFolder("in");
        File.WriteAllText(temp.Combine("in", "readme.txt"), "no videos here");

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no videos found", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_output_path_that_is_a_file_exits_1()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "clip", 2, TestCodec.MjpegAvi, 32, 24);
        File.WriteAllText(temp.Combine("out"), "a file");

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("is a file", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_previous_run_is_refused_unless_overwrite_is_given()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "clip", 2, TestCodec.MjpegAvi, 32, 24);
        File.WriteAllText(temp.Combine("keep.txt"), "mine");
        Assert.Equal(0, CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Path, "--frames", "1").ExitCode);

        var again = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Path, "--frames", "1");
        var overwritten = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Path, "--frames", "1", "--overwrite");

        Assert.Equal(1, again.ExitCode);
        Assert.Contains("--overwrite", again.Error, StringComparison.Ordinal);
        Assert.Equal(0, overwritten.ExitCode);
        Assert.Equal("mine", File.ReadAllText(temp.Combine("keep.txt")));
    }

    [Fact]
    public void Unknown_command_or_option_exits_1()
    {
        Assert.Equal(1, CliRunner.Run("transmogrify").ExitCode);
        Assert.Equal(1, CliRunner.Run("convert", "x", "-o", "y", "--no-such-option").ExitCode);
    }

    [Fact]
    public void A_video_without_read_permission_is_skipped_naming_the_cause()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        TestVideo.Create(input, "a-open", 3, TestCodec.MjpegAvi, 32, 24);
        var locked = TestVideo.Create(input, "b-locked", 3, TestCodec.MjpegAvi, 32, 24);
        File.SetUnixFileMode(locked, UnixFileMode.None);
        foreach (var folder in new[] { temp.Path, input, temp.CreateFolder("out") })
        {
            CliProcess.OpenToAll(folder);
        }

        CliProcess.OpenToAll(Path.Combine(input, "a-open.avi"));
        var run = CliProcess.RunAsNobody("convert", input, "-o", temp.Combine("out"), "--frames", "1");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"{locked}: permission denied", run.Error, StringComparison.Ordinal);
        Assert.Equal(["a-open"], RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")).Select(r => r.Id));
    }

    [Fact]
    public void An_output_folder_without_write_permission_exits_1()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        CliProcess.OpenToAll(temp.Path);
        CliProcess.OpenToAll(input);
        CliProcess.OpenToAll(TestVideo.Create(input, "clip", 3, TestCodec.MjpegAvi, 32, 24));
        var output = temp.CreateFolder("out");
        File.SetUnixFileMode(output, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        var run = CliProcess.RunAsNobody("convert", input, "-o", output);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"video2tfrecord: output folder {output} is not writable: permission denied", run.Error.Trim());
    }
}
