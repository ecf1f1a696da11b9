using System.Diagnostics;
using System.Globalization;
using Video2TfRecord.Conversion.Run;
using Video2TfRecord.Conversion.RunRecords;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Conversion.Run;

/// <summary>
/// Two runs into one output folder (issue 14, point 1), with real processes: the first holds an OS lock on the folder,
/// a second is refused at once naming it; workers of one run share the folder; kill -9 leaves no stale lock. The first
/// run is stopped (SIGSTOP) while it holds the lock, so the second always meets it there.
/// </summary>
public class RunLockTests
{
    private static string MakeCorpus(TempDirectory temp) => InterruptibleRun.MakeCorpus(temp, videos: 6, frames: 60);

    private static string[] Convert(string input, string output, params string[] more) => InterruptibleRun.Convert(input, output, more);

    [Fact]
    public void A_second_run_into_a_busy_folder_is_refused_at_once_and_the_first_finishes_whole()
    {
        using var temp = new TempDirectory();
        var input = MakeCorpus(temp);
        var output = temp.Combine("out");
        using var first = CliProcess.Start(Convert(input, output));

        using (Stopped(first, output, RunLock.FileName))
        {
            var second = CliProcess.Run(Convert(input, output, "--resume"));

            Assert.Equal(1, second.ExitCode);
            Assert.Equal($"video2tfrecord: output folder {output} is in use by another run (process {first.Id}); wait for it to finish or give another folder\n", second.Error);
        }

        var outcome = CliProcess.Finish(first);
        Assert.True(outcome.ExitCode == 0, outcome.Error);
        var manifest = RunManifest.Read(output)!;
        Assert.True(manifest.Complete);
        Assert.Equal(6, manifest.Totals.Written);
        Assert.Equal(6, File.ReadAllLines(temp.Combine("out", "videos.jsonl")).Length);
        Assert.Equal(0, CliRunner.Run("verify", output).ExitCode);
    }

    [Fact]
    public void Workers_of_one_run_share_the_folder_but_not_with_a_whole_run_or_a_twin()
    {
        using var temp = new TempDirectory();
        var input = MakeCorpus(temp);
        var output = temp.Combine("out");
        using var worker0 = CliProcess.Start(Convert(input, output, "--worker-index", "0", "--worker-count", "2"));

        using (Stopped(worker0, output, ".video2tfrecord-worker-00000-of-00002.lock"))
        {
            var worker1 = CliProcess.Run(Convert(input, output, "--worker-index", "1", "--worker-count", "2"));
            var whole = CliProcess.Run(Convert(input, output, "--resume"));
            var twin = CliProcess.Run(Convert(input, output, "--worker-index", "0", "--worker-count", "2", "--resume"));

            Assert.True(worker1.ExitCode == 0, worker1.Error);
            Assert.Equal(1, whole.ExitCode);
            Assert.Contains($"output folder {output} is in use by the workers of another run (--worker-index)", whole.Error, StringComparison.Ordinal);
            Assert.Equal(1, twin.ExitCode);
            Assert.Contains($"is in use by worker 0 of 2 of another run (process {worker0.Id})", twin.Error, StringComparison.Ordinal);
        }

        var outcome = CliProcess.Finish(worker0);
        Assert.True(outcome.ExitCode == 0, outcome.Error);
        var merged = CliRunner.Run("merge-manifests", output);
        Assert.True(merged.ExitCode == 0, merged.Error);
        Assert.Equal(6, RunManifest.Read(output)!.Totals.Written);
    }

    [Fact]
    public void A_run_killed_with_sigkill_leaves_no_lock_behind()
    {
        using var temp = new TempDirectory();
        var input = MakeCorpus(temp);
        var output = temp.Combine("out");
        using var first = CliProcess.Start(Convert(input, output));
        using (Stopped(first, output, RunLock.FileName))
        {
            first.Kill();
            ChildProcess.WaitForExit(first);
        }

        var resumed = CliRunner.Run(Convert(input, output, "--resume"));

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(6, RunManifest.Read(output)!.Totals.Written);
    }

    // Waits until the child holds the lock file (its process id is written into it), then stops it there until disposed.
    private static ContinueOnDispose Stopped(Process child, string output, string lockFile)
    {
        var clock = Stopwatch.StartNew();
        while (RunLock.HolderOf(output, lockFile) != child.Id)
        {
            Assert.False(child.HasExited, "the run ended before it took the lock");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the run did not take the lock within 60 s");
            Thread.Sleep(5);
        }

        ExternalProgram.Run("kill", ["-STOP", child.Id.ToString(CultureInfo.InvariantCulture)]);
        Assert.False(child.HasExited, "the run ended before it could be stopped; make the corpus larger");
        return new ContinueOnDispose(child);
    }

    private sealed class ContinueOnDispose(Process child) : IDisposable
    {
        public void Dispose()
        {
            if (!child.HasExited)
            {
                ExternalProgram.Run("kill", ["-CONT", child.Id.ToString(CultureInfo.InvariantCulture)]);
            }
        }
    }
}
