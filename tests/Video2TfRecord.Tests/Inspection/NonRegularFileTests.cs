using System.Text.Json;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Inspection;

/// <summary>
/// Anything that is not a regular file (a named pipe, a device) is refused as such before it is opened, by every command:
/// opening a named pipe waits for a writer forever (issue 23, bug 5). Every run is bounded, so a regression fails here.
/// </summary>
public class NonRegularFileTests
{
    private static string NamedPipe(string path)
    {
        var made = CliProcess.RunProgram("mkfifo", path);
        Assert.True(made.ExitCode == 0, made.Error);
        return path;
    }

    [Theory]
    [InlineData("inspect")]
    [InlineData("verify")]
    [InlineData("index")]
    public void A_named_pipe_given_as_a_record_file_is_refused_without_being_opened(string command)
    {
        using var temp = new TempDirectory();
        var pipe = NamedPipe(temp.Combine("f.tfrecord"));

        var run = BoundedCli.Run(command, pipe);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"video2tfrecord: {pipe}: not a regular file (a named pipe (FIFO))", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("inspect")]
    [InlineData("verify")]
    public void A_named_pipe_under_a_shard_name_in_a_run_folder_is_refused_by_name(string command)
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "a", 6, TestCodec.MjpegAvi, 32, 24);
        TestVideo.Create(temp.Combine("in"), "b", 6, TestCodec.MjpegAvi, 32, 24);
        Assert.Equal(0, CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--videos-per-file", "1", "--frames", "2", "-q").ExitCode);
        var shard = temp.Combine("out", "videos-00001-of-00002.tfrecord");
        File.Delete(shard);
        NamedPipe(shard);

        var run = BoundedCli.Run(command, temp.Combine("out"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{shard}: not a regular file (a named pipe (FIFO))", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_says_a_named_pipe_and_a_device_are_not_regular_files_rather_than_empty()
    {
        using var temp = new TempDirectory();
        var pipe = NamedPipe(temp.Combine("v.mp4"));

        var run = BoundedCli.Run("convert", pipe, "/dev/zero", "-o", temp.Combine("out"), "-q");

        Assert.Equal(3, run.ExitCode);
        var reasons = File.ReadAllLines(temp.Combine("out", "videos.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToDictionary(e => e.GetProperty("path").GetString()!, e => e.GetProperty("reason").GetString());
        Assert.Equal("not a regular file (a named pipe (FIFO))", reasons["v.mp4"]);
        Assert.Equal("not a regular file (a character device)", reasons["zero"]);
        Assert.DoesNotContain("empty (0 bytes)", run.Error, StringComparison.Ordinal);
    }
}
