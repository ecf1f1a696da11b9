using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Deploy;

/// <summary>
/// deploy/slurm: the array script run as Slurm would run its K = 3 tasks (the SLURM_* variables set by hand, as
/// sbatch sets them), then the merge script; and submit.sh's two sbatch calls, through an sbatch that records them.
/// </summary>
public sealed class SlurmScriptTests
{
    private static readonly string[] Options = ["--frames", "3", "--videos-per-file", "2", "--labels-from-folder", "--quiet"];

    private static Dictionary<string, string> Task(int id, int count) => new()
    {
        ["SLURM_ARRAY_TASK_ID"] = $"{id + 5}",
        ["SLURM_ARRAY_TASK_MIN"] = "5",
        ["SLURM_ARRAY_TASK_MAX"] = $"{count + 4}",
        ["SLURM_ARRAY_TASK_COUNT"] = $"{count}",
        ["SLURM_CPUS_PER_TASK"] = "1",
        ["VIDEO2TFRECORD"] = CliProcess.CommandLine,
    };

    [Fact]
    public void Three_array_tasks_and_the_merge_write_what_one_process_writes()
    {
        using var temp = new TempDirectory();
        for (var i = 0; i < 7; i++)
        {
            TestVideo.Create(temp.Combine("in", i % 2 == 0 ? "even" : "odd"), $"v{i}", 5 + i, TestCodec.H264Mp4, 48, 32);
        }

        var one = CliRunner.Run(["convert", temp.Combine("in"), "-o", temp.Combine("one"), .. Options]);
        // Out of order, as a scheduler may start them; the array's ids start at 5 (--array=5-7): the index is id − min.
        var tasks = new[] { 2, 0, 1 }
            .Select(k => CliProcess.RunProgramWith(Task(k, 3), ["bash", Repository.Combine("deploy", "slurm", "convert-array.sbatch"), temp.Combine("in"), temp.Combine("split"), .. Options]))
            .ToList();
        var merge = CliProcess.RunProgramWith(new Dictionary<string, string> { ["VIDEO2TFRECORD"] = CliProcess.CommandLine },
            "bash", Repository.Combine("deploy", "slurm", "merge.sbatch"), temp.Combine("split"));

        Assert.Equal(0, one.ExitCode);
        Assert.All(tasks, t => Assert.True(t.ExitCode == 0, t.Error));
        Assert.True(merge.ExitCode == 0, merge.Error);
        Assert.Contains("merged: 4 files, 7 of 7 videos written", merge.Output, StringComparison.Ordinal);
        SameRun.Equal(temp.Combine("one"), temp.Combine("split"));
    }

    [Fact]
    public void A_task_outside_an_array_is_refused_and_a_task_with_unwritten_videos_lets_the_merge_report_them()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "good", 6, TestCodec.H264Mp4, 48, 32);
        File.WriteAllText(temp.Combine("in", "bad.mp4"), "not a video");
        var script = Repository.Combine("deploy", "slurm", "convert-array.sbatch");

        var outside = CliProcess.RunProgramWith(new Dictionary<string, string> { ["VIDEO2TFRECORD"] = CliProcess.CommandLine }, "bash", script, temp.Combine("in"), temp.Combine("out"));
        var tasks = Enumerable.Range(0, 2).Select(k => CliProcess.RunProgramWith(Task(k, 2), "bash", script, temp.Combine("in"), temp.Combine("out"), "--frames", "2", "--videos-per-file", "1", "--quiet")).ToList();
        var merge = CliProcess.RunProgramWith(new Dictionary<string, string> { ["VIDEO2TFRECORD"] = CliProcess.CommandLine, ["OUTPUT"] = temp.Combine("out") },
            "bash", Repository.Combine("deploy", "slurm", "merge.sbatch"));

        Assert.Equal(1, outside.ExitCode);
        Assert.Contains("not a task of a job array", outside.Error, StringComparison.Ordinal);
        Assert.All(tasks, t => Assert.Equal(0, t.ExitCode));
        Assert.Contains(tasks, t => t.Error.Contains("counted as done so the merge runs", StringComparison.Ordinal));
        Assert.Equal(3, merge.ExitCode);
        Assert.Contains("1 of 2 videos written (0 skipped, 1 failed)", merge.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Submit_makes_an_array_of_k_tasks_and_a_merge_that_waits_for_all_of_them()
    {
        using var temp = new TempDirectory();
        var bin = temp.CreateFolder("bin");
        // An sbatch that records its arguments and answers --parsable as Slurm does ("jobid;cluster").
        File.WriteAllText(Path.Combine(bin, "sbatch"), $"#!/bin/bash\necho \"$*\" >> {temp.Combine("calls")}\nn=$(wc -l < {temp.Combine("calls")})\necho \"$((4100 + n));cluster\"\n");
        File.SetUnixFileMode(Path.Combine(bin, "sbatch"), (UnixFileMode)0b111_101_101);
        var path = bin + ":" + Environment.GetEnvironmentVariable("PATH");

        var submit = CliProcess.RunProgramWith(new Dictionary<string, string> { ["PATH"] = path, ["CPUS"] = "6" },
            "bash", Repository.Combine("deploy", "slurm", "submit.sh"), "3", "s3://videos/in/", "s3://out/run", "--frames", "16");

        Assert.True(submit.ExitCode == 0, submit.Error);
        var calls = File.ReadAllLines(temp.Combine("calls"));
        Assert.Equal(2, calls.Length);
        Assert.StartsWith("--parsable --array=0-2 --cpus-per-task=6 ", calls[0], StringComparison.Ordinal);
        Assert.EndsWith("convert-array.sbatch s3://videos/in/ s3://out/run --frames 16", calls[0], StringComparison.Ordinal);
        Assert.StartsWith("--parsable --dependency=afterok:4101 --kill-on-invalid-dep=yes ", calls[1], StringComparison.Ordinal);
        Assert.EndsWith("merge.sbatch s3://out/run", calls[1], StringComparison.Ordinal);
        Assert.Contains("merge: job 4102", submit.Output, StringComparison.Ordinal);
    }
}
