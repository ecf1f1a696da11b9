using System.Text.Json;
using Video2TfRecord.Conversion.Sharding;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Conversion.Sharding;

/// <summary>--worker-index/--worker-count and merge-manifests: K processes write what one would, byte for byte.</summary>
public class WorkerTests
{
    private static readonly string[] Common = ["--frames", "3", "--videos-per-file", "2", "--labels-from-folder", "--quiet", "--jobs", "1"];

    private static void MakeVideos(TempDirectory temp)
    {
        for (var i = 0; i < 7; i++)
        {
            TestVideo.Create(temp.Combine("in", i % 2 == 0 ? "even" : "odd"), $"v{i}", 5 + i, TestCodec.H264Mp4, 48, 32);
        }
    }

    [Fact]
    public void Three_workers_one_after_another_then_merged_equal_one_run()
    {
        using var temp = new TempDirectory();
        MakeVideos(temp);
        Assert.Equal(0, CliRunner.Run(["convert", temp.Combine("in"), "-o", temp.Combine("one"), .. Common]).ExitCode);

        foreach (var index in new[] { "2", "0", "1" })
        {
            var run = CliRunner.Run(["convert", temp.Combine("in"), "-o", temp.Combine("split"), "--worker-index", index, "--worker-count", "3", .. Common]);
            Assert.True(run.ExitCode == 0, run.Error);
        }

        // Worker 0 owns shards 0 and 3 of 4: two files and its own manifest and log, nothing else of the run.
        using (var part = JsonDocument.Parse(File.ReadAllText(temp.Combine("split", "manifest-worker-00000-of-00003.json"))))
        {
            Assert.Equal([0, 3], part.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("shard").GetInt32()));
        }

        var merge = CliRunner.Run("merge-manifests", temp.Combine("split"));

        Assert.True(merge.ExitCode == 0, merge.Error);
        Assert.Contains("merged: 4 files, 7 of 7 videos written", merge.Output, StringComparison.Ordinal);
        SameRun.Equal(temp.Combine("one"), temp.Combine("split"));
    }

    [Fact]
    public void Two_workers_at_once_in_one_folder_then_merged_equal_one_run()
    {
        using var temp = new TempDirectory();
        MakeVideos(temp);
        Assert.Equal(0, CliRunner.Run(["convert", temp.Combine("in"), "-o", temp.Combine("one"), .. Common]).ExitCode);

        var first = CliProcess.Start(["convert", temp.Combine("in"), "-o", temp.Combine("split"), "--worker-index", "0", "--worker-count", "2", .. Common]);
        var second = CliProcess.Start(["convert", temp.Combine("in"), "-o", temp.Combine("split"), "--worker-index", "1", "--worker-count", "2", .. Common]);
        var (a, b) = (CliProcess.Finish(first), CliProcess.Finish(second));

        Assert.True(a.ExitCode == 0, a.Error);
        Assert.True(b.ExitCode == 0, b.Error);
        Assert.Equal(0, CliRunner.Run("merge-manifests", temp.Combine("split")).ExitCode);
        SameRun.Equal(temp.Combine("one"), temp.Combine("split"));
    }

    [Fact]
    public void A_worker_keeps_to_its_own_files_and_merge_names_missing_workers()
    {
        using var temp = new TempDirectory();
        MakeVideos(temp);
        string[] Worker(string index, params string[] more) =>
            ["convert", temp.Combine("in"), "-o", temp.Combine("split"), "--worker-index", index, "--worker-count", "3", .. Common, .. more];
        Assert.Equal(0, CliRunner.Run(Worker("1")).ExitCode);
        var workerOneFile = temp.Combine("split", "videos-00001-of-00004.tfrecord");
        var before = File.ReadAllBytes(workerOneFile);

        var noParts = CliRunner.Run("merge-manifests", temp.Combine("in"));
        var missing = CliRunner.Run("merge-manifests", temp.Combine("split"));
        var again = CliRunner.Run(Worker("1"));
        var other = CliRunner.Run(Worker("0", "--overwrite"));

        Assert.Equal(1, noParts.ExitCode);
        Assert.Contains("no worker manifests", noParts.Error, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("worker 0, 2 of 3 has written no manifest", missing.Error, StringComparison.Ordinal);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already holds a previous run (manifest-worker-00001-of-00003.json", again.Error, StringComparison.Ordinal);
        Assert.True(other.ExitCode == 0, other.Error);
        Assert.Equal(before, File.ReadAllBytes(workerOneFile));
        Assert.True(File.Exists(temp.Combine("split", "manifest-worker-00001-of-00003.json")));
    }

    [Fact]
    public void Worker_index_auto_reads_kubernetes_and_slurm_variables()
    {
        Func<string, string?> Env(params (string Name, string Value)[] variables) => name => variables.FirstOrDefault(v => v.Name == name).Value;

        Assert.Equal(new WorkerSlice(2, 5), WorkerSlice.Resolve("auto", 5, Env(("JOB_COMPLETION_INDEX", "2"))));
        Assert.Equal(new WorkerSlice(3, 8), WorkerSlice.Resolve("auto", null, Env(("SLURM_ARRAY_TASK_ID", "4"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_COUNT", "8"))));
        Assert.Null(WorkerSlice.Resolve(null, null, Env()));
        Assert.Contains("give --worker-count K", Assert.Throws<OptionException>(() => WorkerSlice.Resolve("auto", null, Env(("JOB_COMPLETION_INDEX", "0")))).Message, StringComparison.Ordinal);
        Assert.Contains("neither JOB_COMPLETION_INDEX", Assert.Throws<OptionException>(() => WorkerSlice.Resolve("auto", 2, Env())).Message, StringComparison.Ordinal);
        Assert.Contains("the index must be from 0 to 2", Assert.Throws<OptionException>(() => WorkerSlice.Resolve("3", 3, Env())).Message, StringComparison.Ordinal);
        Assert.Contains("--worker-count needs --worker-index", Assert.Throws<OptionException>(() => WorkerSlice.Resolve(null, 3, Env())).Message, StringComparison.Ordinal);
        Assert.Contains("contradicts SLURM_ARRAY_TASK_COUNT 8", Assert.Throws<OptionException>(() => WorkerSlice.Resolve("auto", 4, Env(("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_COUNT", "8")))).Message, StringComparison.Ordinal);
    }
}
