using System.Diagnostics;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Cli;

public class ProgressTests
{
    private static string MakeInput(TempDirectory temp)
    {
        var input = temp.CreateFolder("in");
        TestVideo.Create(input, "a", 6, TestCodec.MjpegAvi, 32, 24);
        TestVideo.Create(input, "b", 6, TestCodec.MjpegAvi, 32, 24);
        File.WriteAllText(Path.Combine(input, "c-bad.mp4"), "junk");
        return input;
    }

    [Fact]
    public void On_a_terminal_a_live_bar_runs_and_notices_print_above_it()
    {
        using var temp = new TempDirectory();
        var input = MakeInput(temp);
        var cli = Path.Combine(AppContext.BaseDirectory, "Video2TfRecord.Cli.dll");
        // script(1) gives the child a pseudo-terminal, as a user's shell would.
        var command = $"'{Environment.ProcessPath}' '{cli}' convert '{input}' -o '{temp.Combine("out")}' --frames 2";
        using var script = Process.Start(new ProcessStartInfo("script", ["-qec", command, "/dev/null"])
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            Environment = { ["TERM"] = "xterm-256color", ["COLUMNS"] = "120" },
        })!;
        var screen = ChildProcess.Finish(script).Output;

        Assert.Equal(3, script.ExitCode);
        Assert.Contains("100%", screen, StringComparison.Ordinal);
        Assert.Contains("\u001b[", screen, StringComparison.Ordinal); // drawn with terminal control sequences
        Assert.Contains($"failed {Path.Combine(input, "c-bad.mp4")}", screen, StringComparison.Ordinal);
        Assert.Contains("converted 2 of 3 videos (0 skipped, 1 failed)", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", screen, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_terminal_progress_is_plain_lines_and_quiet_drops_them_but_not_the_skips()
    {
        using var temp = new TempDirectory();
        var input = MakeInput(temp);

        var plain = CliProcess.Run("convert", input, "-o", temp.Combine("plain"), "--frames", "2");
        var quiet = CliProcess.Run("convert", input, "-o", temp.Combine("quiet"), "--frames", "2", "--quiet");

        Assert.DoesNotContain("\u001b[", plain.Error, StringComparison.Ordinal);
        Assert.Contains("video2tfrecord: 3/3 videos (100%), 4 frames stored, ", plain.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("3/3 videos", quiet.Error, StringComparison.Ordinal);
        Assert.Equal($"video2tfrecord: failed {Path.Combine(input, "c-bad.mp4")}: not a readable video: no video stream, or a container or codec the decoder does not know\n", quiet.Error);
        // stdout carries only the summary.
        Assert.StartsWith("converted 2 of 3 videos", quiet.Output, StringComparison.Ordinal);
        Assert.Equal(plain.Output.Split('\n').Length, quiet.Output.Split('\n').Length);
    }
}
