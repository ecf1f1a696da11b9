using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Server;

/// <summary>
/// Jobs outlive the process: the service is killed with SIGKILL in the middle of a job and started again on the same
/// data folder; the job continues from its finished shards and its records are those of one uninterrupted conversion.
/// </summary>
public sealed class ServiceRestartTests : IDisposable
{
    private static readonly Dictionary<string, string> OneAtATime = new() { ["Video2TfRecord__Server__JobsPerConversion"] = "1" };

    // The data folder of every server a test started: one left running by a failed assertion is found by it (a test's
    // own `using (process)` may have disposed the Process object before the assertion that failed).
    private readonly List<string> _started = [];

    public void Dispose() => _started.ForEach(ChildProcess.KillNaming);

    private async Task<(Process Process, Uri Address)> ServeAsync(string data, IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = CliProcess.StartWith(environment ?? OneAtATime, "serve", "--port", "0", "--data", data);
        _started.Add(data);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("video2tfrecord: serving on ", StringComparison.Ordinal))
            {
                var address = new Uri(line["video2tfrecord: serving on ".Length..].Split(',')[0]);
                Assert.Equal("127.0.0.1", address.Host); // loopback unless --host says otherwise
                return (process, address);
            }
        }

        throw new InvalidOperationException("serve did not start: " + await process.StandardError.ReadToEndAsync());
    }

    [Fact]
    public async Task The_job_store_runs_on_the_systems_sqlite_not_a_bundled_copy()
    {
        // The bundled e_sqlite3 needs glibc 2.33: with it the service did not start on Debian 11.
        using var temp = new TempDirectory();
        var (process, address) = await ServeAsync(temp.CreateFolder("data"));
        using (process)
        {
            using var client = new HttpClient { BaseAddress = address };
            using var jobs = await client.GetAsync("/api/jobs");
            Assert.Equal(HttpStatusCode.OK, jobs.StatusCode);
            var mapped = File.ReadAllLines($"/proc/{process.Id}/maps").Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "").ToHashSet();
            process.Kill();
            ChildProcess.WaitForExit(process);
            // The file behind the soname libsqlite3.so.0: libsqlite3.so.0.8.6 up to SQLite 3.47, libsqlite3.so.3.50.4 and the like
            // after it (Debian sid).
            Assert.Contains(mapped, file => Path.GetFileName(file).StartsWith("libsqlite3.so.", StringComparison.Ordinal));
            Assert.DoesNotContain(mapped, file => Path.GetFileName(file).Contains("e_sqlite3", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_job_running_when_the_service_is_killed_continues_from_its_finished_shards()
    {
        using var temp = new TempDirectory();
        var videos = Enumerable.Range(0, 10).Select(i => (TestVideo.Create(temp.Combine("in"), $"v{i}", 60, TestCodec.H264Mp4, 160, 120), $"v{i}.mp4")).ToArray();
        // About a third of a second per video, one video at a time: the kill lands between shards 2 and 10.
        (string, string)[] fields = [("frames", "all"), ("flow", "dis"), ("videos-per-file", "1")];
        var data = temp.CreateFolder("data");
        var (first, address) = await ServeAsync(data);
        string id;
        Dictionary<string, DateTime> before;
        using (var client = new HttpClient { BaseAddress = address })
        {
            using var posted = await client.PostAsync("/api/jobs", ServiceHost.Form(videos, fields));
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
            id = JsonDocument.Parse(await posted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            var output = Path.Combine(data, "jobs", id, "output");
            var clock = Stopwatch.StartNew();
            while (Shards(output).Count < 2 && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(50);
            }

            first.Kill();
            ChildProcess.WaitForExit(first);
            first.Dispose();
            // Kept are the shards manifest.json lists; one renamed just before the kill but not yet listed is redone.
            var listed = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "manifest.json"))).RootElement.GetProperty("files")
                .EnumerateArray().Select(f => f.GetProperty("name").GetString()!);
            before = listed.ToDictionary(f => f, f => File.GetLastWriteTimeUtc(Path.Combine(output, f)));
        }

        Assert.InRange(before.Count, 1, 9);
        var (second, again) = await ServeAsync(data);
        try
        {
            using var client = new HttpClient { BaseAddress = again };
            JsonElement job;
            var clock = Stopwatch.StartNew();
            do
            {
                await Task.Delay(200);
                job = JsonDocument.Parse(await client.GetStringAsync($"/api/jobs/{id}")).RootElement;
            }
            while (job.GetProperty("status").GetString() is "queued" or "running" && clock.Elapsed < TimeSpan.FromSeconds(120));

            Assert.Equal("succeeded", job.GetProperty("status").GetString());
            Assert.Equal(10, job.GetProperty("videosTotal").GetInt32());
            var output = Path.Combine(data, "jobs", id, "output");
            Assert.Equal(10, Shards(output).Count);
            // The shards finished before the kill were kept, not converted again.
            Assert.All(before, kept => Assert.Equal(kept.Value, File.GetLastWriteTimeUtc(Path.Combine(output, kept.Key))));

            // Byte for byte the records one uninterrupted conversion of the same uploads writes.
            var direct = CliRunner.Run(["convert", temp.Combine("in"), "-o", temp.Combine("direct"), .. fields.SelectMany(f => new[] { "--" + f.Item1, f.Item2 })]);
            Assert.True(direct.ExitCode == 0, direct.Error);
            Assert.Equal(Shards(temp.Combine("direct")), Shards(output));
            Assert.All(Shards(output), f => Assert.Equal(File.ReadAllBytes(temp.Combine("direct", f)), File.ReadAllBytes(Path.Combine(output, f))));
        }
        finally
        {
            second.Kill();
            ChildProcess.WaitForExit(second);
            second.Dispose();
        }
    }

    [Fact]
    public async Task A_job_that_cannot_be_continued_after_a_restart_is_interrupted_with_the_reason()
    {
        using var temp = new TempDirectory();
        var data = temp.CreateFolder("data");
        var video = TestVideo.Create(temp.Combine("in"), "a", 20, TestCodec.H264Mp4, 64, 48);
        string id;
        await using (var before = await ServiceHost.StartAsync(s => s.DataFolder = data))
        {
            var (_, job) = await before.PostAsync(ServiceHost.Form([(video, "a.mp4")], ("frames", "2")));
            id = job.GetProperty("id").GetString()!;
            await before.FollowAsync(id);
        }

        // As if the service had died mid-job, and the upload had changed on disk since.
        var store = new Video2TfRecord.Server.Jobs.JobStore(data);
        store.Update(store.Find(id)! with { Status = Video2TfRecord.Server.Jobs.JobStatus.Running, Finished = null });
        File.AppendAllText(Path.Combine(data, "jobs", id, "input", "a.mp4"), "more bytes");
        await using var after = await ServiceHost.StartAsync(s => s.DataFolder = data);
        JsonElement state;
        var clock = Stopwatch.StartNew();
        do
        {
            await Task.Delay(100);
            state = JsonDocument.Parse(await after.Client.GetStringAsync($"/api/jobs/{id}")).RootElement;
        }
        while (state.GetProperty("status").GetString() is "queued" or "running" && clock.Elapsed < TimeSpan.FromSeconds(30));

        Assert.Equal("interrupted", state.GetProperty("status").GetString());
        Assert.Contains("--resume", state.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_takes_settings_from_the_environment_and_sigterm_stops_it_with_exit_0()
    {
        // In a child process, so that the variable does not reach the other tests' services running at the same time.
        using var temp = new TempDirectory();
        var (process, address) = await ServeAsync(temp.CreateFolder("data"), new Dictionary<string, string> { ["Video2TfRecord__Server__MaxQueuedJobs"] = "7" });
        using (process)
        {
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
            var ready = JsonDocument.Parse(await client.GetStringAsync("/readyz")).RootElement;

            Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            var stopped = ChildProcess.Finish(process, TimeSpan.FromSeconds(60));

            Assert.Equal(7, ready.GetProperty("max_queued").GetInt32());
            Assert.True(stopped.ExitCode == 0, stopped.Error);
            Assert.DoesNotContain("Exception", stopped.Output + stopped.Error, StringComparison.Ordinal);
            await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync("/healthz"));
        }
    }

    [Fact]
    public async Task A_job_running_at_sigterm_stays_running_and_continues_at_the_next_start()
    {
        using var temp = new TempDirectory();
        // Work for several seconds, so that the job is seen running and is still running when SIGTERM lands: 4 videos
        // of 60 frames at 160x120 once took long enough, until the flow got faster and a quiet machine finished the job
        // (418 frames/s) before the test saw it running.
        var videos = Enumerable.Range(0, 4).Select(i => (TestVideo.Create(temp.Combine("in"), $"v{i}", 240, TestCodec.H264Mp4, 320, 240), $"v{i}.mp4")).ToArray();
        (string, string)[] fields = [("frames", "all"), ("flow", "dis"), ("videos-per-file", "1")];
        var data = temp.CreateFolder("data");
        var (first, address) = await ServeAsync(data);
        string id;
        using (first)
        {
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
            using var posted = await client.PostAsync("/api/jobs", ServiceHost.Form(videos, fields));
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
            id = JsonDocument.Parse(await posted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            var clock = Stopwatch.StartNew();
            string? status;
            while ((status = JsonDocument.Parse(await client.GetStringAsync($"/api/jobs/{id}")).RootElement.GetProperty("status").GetString()) != "running")
            {
                // A job that ended before it was seen running (failed at once) is told as such, not as a slow start.
                Assert.True(status == "queued", $"the job is {status}: {await client.GetStringAsync($"/api/jobs/{id}")}");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the job did not start within 60 s");
                await Task.Delay(20);
            }

            Process.Start("kill", ["-TERM", first.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            var stopped = ChildProcess.Finish(first, TimeSpan.FromSeconds(60));
            Assert.True(stopped.ExitCode == 0, stopped.Error);
        }

        // Stopped, the job is still running in the database: not failed, not cancelled.
        Assert.Equal(Video2TfRecord.Server.Jobs.JobStatus.Running, new Video2TfRecord.Server.Jobs.JobStore(data).Find(id)!.Status);
        var (second, again) = await ServeAsync(data);
        try
        {
            using var client = new HttpClient { BaseAddress = again, Timeout = TimeSpan.FromSeconds(60) };
            JsonElement job;
            var clock = Stopwatch.StartNew();
            do
            {
                await Task.Delay(100);
                job = JsonDocument.Parse(await client.GetStringAsync($"/api/jobs/{id}")).RootElement;
            }
            while (job.GetProperty("status").GetString() is "queued" or "running" && clock.Elapsed < TimeSpan.FromSeconds(120));

            Assert.Equal("succeeded", job.GetProperty("status").GetString());
            Assert.Equal(4, Shards(Path.Combine(data, "jobs", id, "output")).Count);
            Assert.Equal(["v0", "v1", "v2", "v3"], Shards(Path.Combine(data, "jobs", id, "output")).SelectMany(f => RecordFiles.ReadAll(Path.Combine(data, "jobs", id, "output", f))).Select(r => r.Id));
        }
        finally
        {
            second.Kill();
            ChildProcess.WaitForExit(second);
            second.Dispose();
        }
    }

    private static List<string> Shards(string folder) => Directory.Exists(folder)
        ? [.. Directory.GetFiles(folder, "*.tfrecord").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)]
        : [];
}
