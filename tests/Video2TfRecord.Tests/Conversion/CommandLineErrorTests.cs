using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Conversion;

/// <summary>Commands, options and inputs that cannot start a run: exit 1 with one line that names what is wrong.</summary>
public class CommandLineErrorTests
{
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
        Assert.Equal($"video2tfrecord: input not found: {temp.Combine("nowhere")} (--missing-input skip lists it as failed and converts the rest)", run.Error.Trim());
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
    public void Unknown_command_or_option_exits_1()
    {
        Assert.Equal(1, CliRunner.Run("transmogrify").ExitCode);
        Assert.Equal(1, CliRunner.Run("convert", "x", "-o", "y", "--no-such-option").ExitCode);
    }

    [Fact]
    public void A_pattern_that_matches_nothing_exits_1_saying_no_videos_were_found()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        TestVideo.Create(input, "clip", 3, TestCodec.MjpegAvi, 32, 24);

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--pattern", "*.xyz");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"video2tfrecord: no videos found in {input}: no file matching '*.xyz'", run.Error.Trim());
        Assert.False(Directory.Exists(temp.Combine("out")));
    }

    [Theory]
    [InlineData("--shuffle", "abc", "a whole number from 0 to 18446744073709551615")]
    [InlineData("--jobs", "1.5", "a whole number from 1 to 2147483647")]
    [InlineData("--videos-per-file", "ten", "a whole number from 1 to 2147483647")]
    [InlineData("--flow-bound", "x", "a number of pixels per frame from 0.001 to 10000")]
    [InlineData("--fps", "fast", "a number of frames per second from 0.001 to 1000000")]
    [InlineData("--max-record-bytes", "1GB", "a whole number of bytes from 1 to 2147483647")]
    public void A_value_of_the_wrong_form_is_named_with_its_option_and_the_form_expected(string option, string value, string expected)
    {
        var run = CliRunner.Run("convert", "examples", "-o", "unused", "--flow", "dis", option, value);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"video2tfrecord: {option}: expected {expected}, got '{value}'", run.Error.Split('\n')[0]);
        Assert.DoesNotContain("System.", run.Error, StringComparison.Ordinal);
    }
}
