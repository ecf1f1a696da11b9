using System.Diagnostics;

namespace Video2TfRecord.Tests.Fixtures;

/// <summary>The tests' own bound on child processes: a stuck child fails its test instead of hanging the run.</summary>
public class ChildProcessTests
{
    [Fact]
    public void A_child_that_does_not_end_in_time_is_killed_and_named_with_what_it_printed()
    {
        using var temp = new TempDirectory();
        var pidFile = temp.Combine("grandchild");
        // The shell starts a grandchild of its own: the kill takes the whole tree, or the pipes would stay open.
        var start = new ProcessStartInfo("sh", ["-c", $"echo started; echo on stderr >&2; sleep 600 & echo $! > {pidFile}; wait"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;

        var error = Assert.Throws<TimeoutException>(() => ChildProcess.Finish(process, TimeSpan.FromSeconds(1)));

        Assert.StartsWith("sh -c 'echo started; echo on stderr >&2; sleep 600 &", error.Message, StringComparison.Ordinal);
        Assert.Contains("did not end within 1 s and was killed", error.Message, StringComparison.Ordinal);
        Assert.Contains("--- its stdout:\nstarted\n", error.Message, StringComparison.Ordinal);
        Assert.Contains("--- its stderr:\non stderr\n", error.Message, StringComparison.Ordinal);
        Assert.True(process.HasExited);
        var grandchild = File.ReadAllText(pidFile).Trim();
        Assert.False(File.Exists($"/proc/{grandchild}/status") && !File.ReadAllText($"/proc/{grandchild}/status").Contains("State:\tZ", StringComparison.Ordinal),
            $"the grandchild sleep ({grandchild}) still runs");
    }

    [Fact]
    public void A_child_that_ends_gives_its_exit_code_and_both_streams()
    {
        using var process = Process.Start(new ProcessStartInfo("sh", ["-c", "echo out; echo err >&2; exit 7"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;

        var outcome = ChildProcess.Finish(process);

        Assert.Equal(new CliRunner.Outcome(7, "out\n", "err\n"), outcome);
    }
}
