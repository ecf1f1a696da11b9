using System.Text.Json;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Conversion;

/// <summary>Runs set up the way an adversarial user would: a prefix too long for a file name, the output inside an input, control characters in names (issue 23).</summary>
public class HostileRunTests
{
    [Fact]
    public void A_prefix_too_long_for_a_file_name_is_refused_before_anything_is_written()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "a", 4, TestCodec.MjpegAvi, 32, 24);

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--prefix", new string('p', 300), "-q");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("video2tfrecord: --prefix: expected at most 200 bytes (file names hold 255, and the tool adds up to 55), got 300", run.Error.TrimEnd('\n'));
        Assert.False(Directory.Exists(temp.Combine("out")));
    }

    [Fact]
    public void A_prefix_of_the_longest_length_allowed_writes_its_files()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "a", 4, TestCodec.MjpegAvi, 32, 24);
        var prefix = new string('p', 200);

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--prefix", prefix, "--compression", "gzip", "--frames", "2", "-q");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Single(RecordFiles.ReadAll(temp.Combine("out", prefix + "-00000-of-00001.tfrecord.gz")));
    }

    [Fact]
    public void An_output_folder_inside_an_input_folder_is_never_read_as_input()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "a", 4, TestCodec.MjpegAvi, 32, 24);
        var output = temp.Combine("in", "out");
        string[] convert = ["convert", temp.Combine("in"), "-o", output, "--pattern", "*", "--frames", "2", "-q"];

        var first = CliRunner.Run(convert);
        var again = CliRunner.Run([.. convert, "--overwrite"]);
        var resumed = CliRunner.Run([.. convert, "--resume"]);

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        var paths = File.ReadAllLines(Path.Combine(output, "videos.jsonl")).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("path").GetString());
        Assert.Equal(["a.avi"], paths);
    }

    [Fact]
    public void Newlines_and_tabs_in_names_and_labels_are_escaped_in_the_inspect_table()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "tab\there\nline", 4, TestCodec.MjpegAvi, 32, 24);
        File.WriteAllText(temp.Combine("labels.csv"), "path,label\n\"tab\there\nline.avi\",\"two\nlines\"\n");
        var converted = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--labels", temp.Combine("labels.csv"), "--frames", "2", "-q");
        Assert.True(converted.ExitCode == 0, converted.Error);

        var run = CliRunner.Run("inspect", temp.Combine("out", "videos-00000-of-00001.tfrecord"));

        Assert.Equal(0, run.ExitCode);
        var row = Assert.Single(run.Output.Split('\n'), line => line.Contains(@"tab\there\nline", StringComparison.Ordinal));
        Assert.Contains(@"0:two\nlines", row, StringComparison.Ordinal);
        Assert.DoesNotContain('\t', run.Output);
        Assert.DoesNotContain(run.Output.Split('\n'), line => line.StartsWith("line", StringComparison.Ordinal) || line.StartsWith("lines", StringComparison.Ordinal));
    }
}
