using System.Diagnostics;
using System.Text.Json;
using Video2TfRecord.Conversion.Run;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Conversion.RunRecords;

/// <summary>Real child processes, killed for real: what a user's Ctrl+C or a dead node leaves behind.</summary>
public class ResumeAndSignalTests
{
    private static string MakeCorpus(TempDirectory temp) => InterruptibleRun.MakeCorpus(temp, videos: 16, frames: 40);

    private static string[] Convert(string input, string output, params string[] more) => InterruptibleRun.Convert(input, output, more);

    // Waits until the child has finished at least one shard (the manifest names it), so the kill lands mid-run. A child
    // that ends first, or one that finishes no shard in a minute, fails the test here, saying which, with what it printed
    // (the child is killed then): the assertions after would only fail later and for a reason that misleads.
    private static void WaitForFirstShard(string output, Process child)
    {
        var clock = Stopwatch.StartNew();
        while (!child.HasExited)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                child.Kill(entireProcessTree: true);
                var late = CliProcess.Finish(child);
                Assert.Fail($"no shard was finished in {output} within 60 s; the run was killed. Its stderr:\n{late.Error}");
            }

            var manifest = Path.Combine(output, "manifest.json");
            if (File.Exists(manifest))
            {
                try
                {
                    using var json = JsonDocument.Parse(File.ReadAllBytes(manifest));
                    if (json.RootElement.GetProperty("files").GetArrayLength() >= 1)
                    {
                        return;
                    }
                }
                catch (Exception e) when (e is IOException or JsonException)
                {
                    // Being replaced right now; look again.
                }
            }

            Thread.Sleep(10);
        }

        var ended = CliProcess.Finish(child);
        Assert.Fail($"the run ended (exit {ended.ExitCode}) before it finished a shard it could be stopped after; make the corpus larger. Its stderr:\n{ended.Error}");
    }

    private static Dictionary<string, byte[]> ReadFolder(string folder) =>
        Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f)!, File.ReadAllBytes);

    [Fact]
    public void A_run_killed_with_sigkill_and_resumed_equals_an_uninterrupted_run()
    {
        using var temp = new TempDirectory();
        var input = MakeCorpus(temp);
        Assert.Equal(0, CliRunner.Run(Convert(input, temp.Combine("clean"))).ExitCode);

        var child = CliProcess.Start(Convert(input, temp.Combine("killed")));
        WaitForFirstShard(temp.Combine("killed"), child);
        Assert.False(child.HasExited, "the run ended before it could be killed; make the corpus larger");
        child.Kill();
        ChildProcess.WaitForExit(child);

        // Nothing that looks finished may be unfinished: every final-named record file verifies, and every file the
        // manifest names is there. (A shard renamed in the instant before its manifest update is whole but unlisted;
        // resume redoes it.)
        var present = Directory.GetFiles(temp.Combine("killed"), "videos-*.tfrecord");
        Assert.NotEmpty(present);
        Assert.All(present, file => Assert.Equal(0, CliRunner.Run("verify", file).ExitCode));
        using (var manifest = JsonDocument.Parse(File.ReadAllBytes(temp.Combine("killed", "manifest.json"))))
        {
            var named = manifest.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToHashSet();
            Assert.Subset(present.Select(Path.GetFileName).ToHashSet(), named);
            Assert.False(manifest.RootElement.GetProperty("complete").GetBoolean());
        }

        var resumed = CliRunner.Run(Convert(input, temp.Combine("killed"), "--resume"));

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        var clean = ReadFolder(temp.Combine("clean"));
        var after = ReadFolder(temp.Combine("killed"));
        Assert.Equal(clean.Keys.Order(), after.Keys.Order());
        foreach (var (name, bytes) in clean)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(after[name]), $"{name} differs after resume");
        }
    }

    [Fact]
    public void Sigint_before_the_first_file_says_that_nothing_was_kept()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        TestVideo.Create(input, "long", 300, TestCodec.Ffv1Mkv, 320, 240);
        var child = CliProcess.Start(Convert(input, temp.Combine("out"), "--flow", "tvl1"));
        var clock = Stopwatch.StartNew();
        while (RunLock.HolderOf(temp.Combine("out")) != child.Id && !child.HasExited)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                child.Kill(entireProcessTree: true);
                Assert.Fail("the run did not take its lock within 60 s; it was killed. Its stderr:\n" + CliProcess.Finish(child).Error);
            }

            Thread.Sleep(5);
        }

        Assert.False(child.HasExited, "the run ended before the signal");
        Process.Start("kill", ["-INT", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        var outcome = CliProcess.Finish(child);

        Assert.Equal(130, outcome.ExitCode);
        Assert.Equal($"video2tfrecord: interrupted before any file was finished; no record file was kept in {temp.Combine("out")}\n", outcome.Error);
        Assert.Empty(Directory.GetFiles(temp.Combine("out"), "*.tfrecord"));
    }

    [Fact]
    public void Sigint_exits_130_leaving_only_complete_files()
    {
        using var temp = new TempDirectory();
        var input = MakeCorpus(temp);
        var child = CliProcess.Start(Convert(input, temp.Combine("out")));
        WaitForFirstShard(temp.Combine("out"), child);
        Assert.False(child.HasExited, "the run ended before the signal");

        Process.Start("kill", ["-INT", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        var outcome = CliProcess.Finish(child);

        Assert.Equal(130, outcome.ExitCode);
        Assert.Matches($@"video2tfrecord: interrupted; \d+ of 8 files were finished and kept in {temp.Combine("out")} \(manifest.json lists them\); --resume continues the run\n$", outcome.Error);
        var partials = Directory.GetFiles(temp.Combine("out"), "*.partial", new EnumerationOptions { AttributesToSkip = 0 });
        Assert.DoesNotContain(partials, f => !f.EndsWith(".videos.jsonl.partial", StringComparison.Ordinal));
        // Every file that is there is whole; the folder as a run is not (verify of the folder says so).
        Assert.Equal(0, CliProcess.Run(["verify", .. Directory.GetFiles(temp.Combine("out"), "videos-*.tfrecord")]).ExitCode);
        var folder = CliProcess.Run("verify", temp.Combine("out"));
        Assert.Equal(1, folder.ExitCode);
        Assert.Contains("the run is not complete", folder.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Resume_with_other_options_exits_1_naming_the_option()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "clip", 4, TestCodec.MjpegAvi, 32, 24);
        Assert.Equal(0, CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "2").ExitCode);

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "3", "--resume");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--frames 2 → 3", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Resume_after_a_changed_video_exits_1()
    {
        using var temp = new TempDirectory();
        var clip = TestVideo.Create(temp.Combine("in"), "clip", 4, TestCodec.MjpegAvi, 32, 24);
        Assert.Equal(0, CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "2").ExitCode);
        File.SetLastWriteTimeUtc(clip, DateTime.UtcNow.AddMinutes(5));

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "2", "--resume");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("input videos differ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Native_decoder_messages_never_reach_stderr()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        var good = TestVideo.Create(input, "good", 20, TestCodec.H264Mp4, 64, 48);
        var bytes = File.ReadAllBytes(good);
        File.WriteAllBytes(Path.Combine(input, "cut.mp4"), bytes[..(bytes.Length / 3)]);
        File.WriteAllText(Path.Combine(input, "text.mp4"), "hello");

        var run = CliProcess.Run("convert", input, "-o", temp.Combine("out"), "--frames", "2", "--quiet");

        Assert.Equal(3, run.ExitCode);
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.StartsWith("video2tfrecord: ", line, StringComparison.Ordinal));
    }

    [Fact]
    public void Resume_ignores_a_video_log_line_cut_off_by_the_interruption()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        for (var i = 0; i < 4; i++)
        {
            TestVideo.Create(input, $"v{i}", 4, TestCodec.MjpegAvi, 32, 24);
        }

        string[] convert = ["convert", input, "--frames", "2", "--videos-per-file", "2", "--quiet"];
        Assert.Equal(0, CliRunner.Run([.. convert, "-o", temp.Combine("clean")]).ExitCode);
        Assert.Equal(0, CliRunner.Run([.. convert, "-o", temp.Combine("cut")]).ExitCode);
        // Make "cut" look like a run killed while writing shard 1: the manifest lists shard 0 only, the log is still
        // partial and ends in half a line, shard 1's file is gone.
        var cut = temp.Combine("cut");
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(cut, "manifest.json")))!;
        manifest["files"]!.AsArray().RemoveAt(1);
        manifest["complete"] = false;
        File.WriteAllText(Path.Combine(cut, "manifest.json"), manifest.ToJsonString());
        File.Delete(Path.Combine(cut, "videos-00001-of-00002.tfrecord"));
        var lines = File.ReadAllLines(Path.Combine(cut, "videos.jsonl"));
        File.WriteAllText(Path.Combine(cut, ".videos.jsonl.partial"), string.Join("\n", lines[..3]) + "\n" + lines[3][..25]);
        File.Delete(Path.Combine(cut, "videos.jsonl"));

        var resumed = CliRunner.Run([.. convert, "-o", cut, "--resume"]);

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        foreach (var name in new[] { "videos-00000-of-00002.tfrecord", "videos-00001-of-00002.tfrecord", "videos.jsonl" })
        {
            Assert.Equal(File.ReadAllBytes(temp.Combine("clean", name)), File.ReadAllBytes(Path.Combine(cut, name)));
        }
    }
}
