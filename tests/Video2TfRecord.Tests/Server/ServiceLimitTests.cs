using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Video2TfRecord.Server.Api;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Server;

/// <summary>Each limit of the service, with the answer a client gets when it is passed.</summary>
public class ServiceLimitTests
{
    private static string Video(TempDirectory temp, string name = "a", int frames = 10) =>
        TestVideo.Create(temp.Combine("in"), name, frames, TestCodec.H264Mp4, 64, 48);

    [Fact]
    public async Task Too_large_files_jobs_and_too_many_files_are_413_and_leave_nothing()
    {
        using var temp = new TempDirectory();
        var video = Video(temp);
        var size = new FileInfo(video).Length;
        await using var small = await ServiceHost.StartAsync(s => (s.MaxFileBytes, s.MaxJobBytes) = (size - 1, size * 10));
        await using var job = await ServiceHost.StartAsync(s => (s.MaxFileBytes, s.MaxJobBytes) = (size, size + (size / 2)));
        await using var few = await ServiceHost.StartAsync(s => s.MaxFilesPerJob = 1);

        var (fileStatus, fileBody) = await small.PostAsync(ServiceHost.Form([(video, "a.mp4")]));
        var (jobStatus, jobBody) = await job.PostAsync(ServiceHost.Form([(video, "a.mp4"), (video, "b.mp4")]));
        var (countStatus, countBody) = await few.PostAsync(ServiceHost.Form([(video, "a.mp4"), (video, "b.mp4")]));

        Assert.Equal((413, "file too large"), (fileStatus, fileBody.GetProperty("error").GetString()));
        Assert.Contains($"a.mp4 is larger than {size - 1} bytes", fileBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal((413, "job too large"), (jobStatus, jobBody.GetProperty("error").GetString()));
        Assert.Equal((413, "too many files"), (countStatus, countBody.GetProperty("error").GetString()));
        foreach (var service in new[] { small, job, few })
        {
            var jobs = Path.Combine(service.DataFolder, "jobs");
            Assert.False(Directory.Exists(jobs) && Directory.EnumerateDirectories(jobs).Any());
        }
    }

    [Fact]
    public async Task A_full_queue_is_503_with_retry_after_and_a_full_disk_507()
    {
        using var temp = new TempDirectory();
        await using var full = await ServiceHost.StartAsync(s => s.MaxQueuedJobs = 0);
        await using var disk = await ServiceHost.StartAsync(s => s.MinFreeBytes = long.MaxValue);

        var video = Video(temp);
        using var queued = await full.Client.PostAsync("/api/jobs", ServiceHost.Form([(video, "a.mp4")]));
        using var ready = await full.Client.GetAsync("/readyz");
        var (diskStatus, diskBody) = await disk.PostAsync(ServiceHost.Form([(video, "a.mp4")]));
        using var shortDisk = await disk.Client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, queued.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), queued.Headers.RetryAfter!.Delta);
        Assert.Equal("queue full", JsonDocument.Parse(await queued.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal((507, "disk full"), (diskStatus, diskBody.GetProperty("error").GetString()));
        // A disk short of MinFreeBytes makes the service not ready, with its queue empty.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, shortDisk.StatusCode);
        Assert.Equal(0, JsonDocument.Parse(await shortDisk.Content.ReadAsStringAsync()).RootElement.GetProperty("queued").GetInt32());
    }

    [Fact]
    public async Task An_upload_that_would_fill_the_disk_is_stopped_with_507_while_it_arrives()
    {
        using var temp = new TempDirectory();
        var data = temp.CreateFolder("data");
        using var disk = new SmallDisk(data, "32m");
        // 24 MiB named as a video: room for it at the start (32 MiB free), less than 20 MiB left after 16 MiB of it.
        File.WriteAllBytes(temp.Combine("big.mp4"), new byte[24 << 20]);
        await using var service = await ServiceHost.StartAsync(s => (s.DataFolder, s.MinFreeBytes) = (data, 20L << 20));

        var (status, body) = await service.PostAsync(ServiceHost.Form([(temp.Combine("big.mp4"), "big.mp4")]));

        Assert.Equal((507, "disk full"), (status, body.GetProperty("error").GetString()));
        Assert.False(Directory.Exists(Path.Combine(data, "jobs")) && Directory.EnumerateDirectories(Path.Combine(data, "jobs")).Any());
    }

    [Fact]
    public async Task Api_keys_are_checked_and_each_key_sees_only_its_own_jobs()
    {
        using var temp = new TempDirectory();
        await using var service = await ServiceHost.StartAsync(s => s.ApiKeySha256 = [ApiKeys.Hash("alice-key"), ApiKeys.Hash("bob-key").ToUpperInvariant()]);

        var video = Video(temp);
        var (none, noneBody) = await service.PostAsync(ServiceHost.Form([(video, "a.mp4")]));
        var (wrong, _) = await service.PostAsync(ServiceHost.Form([(video, "a.mp4")]), "mallory-key");
        var (alice, aliceJob) = await service.PostAsync(ServiceHost.Form([(video, "a.mp4")], ("frames", "1")), "alice-key");
        var id = aliceJob.GetProperty("id").GetString()!;
        await service.FollowAsync(id, "alice-key");

        Assert.Equal((401, "unauthorized"), (none, noneBody.GetProperty("error").GetString()));
        Assert.Equal(401, wrong);
        Assert.Equal(202, alice);
        Assert.Equal(HttpStatusCode.NotFound, (await Get(service, $"/api/jobs/{id}", "bob-key")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Get(service, $"/api/jobs/{id}/archive", "bob-key")).StatusCode);
        Assert.Equal("[]", await (await Get(service, "/api/jobs", "bob-key")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await Get(service, $"/api/jobs/{id}", "alice-key")).StatusCode);
        // Links a browser opens carry the key as a query parameter.
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync($"/api/jobs/{id}/archive?api_key=alice-key")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await service.Client.GetAsync($"/api/jobs/{id}")).StatusCode);
        Assert.DoesNotContain("alice-key", await File.ReadAllTextAsync(Path.Combine(service.DataFolder, "jobs.db"), Encoding.Latin1), StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> Get(ServiceHost service, string path, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", key);
        return service.Client.SendAsync(request);
    }

    [Fact]
    public async Task Jobs_wait_in_order_with_their_position_and_a_running_one_is_cancelled_by_delete()
    {
        using var temp = new TempDirectory();
        await using var service = await ServiceHost.StartAsync(s => s.MaxConcurrentJobs = 1);
        // A job that takes seconds: every frame of a 300-frame video with TV-L1 flow.
        var slow = TestVideo.Create(temp.Combine("slow"), "s", 300, TestCodec.H264Mp4, 160, 120);
        var (_, first) = await service.PostAsync(ServiceHost.Form([(slow, "s.mp4")], ("frames", "all"), ("flow", "tvl1")));
        var id = first.GetProperty("id").GetString()!;
        // The positions are 1 and 2 once the runner has taken the first job; before, they would be 2 and 3.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (JsonDocument.Parse(await service.Client.GetStringAsync($"/api/jobs/{id}")).RootElement.GetProperty("status").GetString() != "running")
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the first job did not start within 60 s");
            await Task.Delay(10);
        }

        var video = Video(temp);
        var (_, second) = await service.PostAsync(ServiceHost.Form([(video, "a.mp4")], ("frames", "1")));
        var (_, third) = await service.PostAsync(ServiceHost.Form([(video, "a.mp4")], ("frames", "1")));

        Assert.Equal((1, 2), (second.GetProperty("queuePosition").GetInt32(), third.GetProperty("queuePosition").GetInt32()));
        using var deleted = await service.Client.DeleteAsync($"/api/jobs/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.False(Directory.Exists(Path.Combine(service.DataFolder, "jobs", id)));
        Assert.Equal(HttpStatusCode.NotFound, (await service.Client.GetAsync($"/api/jobs/{id}")).StatusCode);
        // The queue moves on.
        Assert.Equal("succeeded", (await service.FollowAsync(third.GetProperty("id").GetString()!))[^1].Job.GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_unfinished_jobs_archive_is_409_and_a_follower_of_a_deleted_job_gets_done_cancelled()
    {
        using var temp = new TempDirectory();
        await using var service = await ServiceHost.StartAsync(s => s.MaxConcurrentJobs = 1);
        // The first job runs for as long as the test needs (every frame of 300 with TV-L1 flow), so the second waits.
        var slow = TestVideo.Create(temp.Combine("slow"), "s", 300, TestCodec.H264Mp4, 160, 120);
        var (_, first) = await service.PostAsync(ServiceHost.Form([(slow, "s.mp4")], ("frames", "all"), ("flow", "tvl1")));
        var (_, second) = await service.PostAsync(ServiceHost.Form([(Video(temp), "a.mp4")], ("frames", "1")));
        var (running, waiting) = (first.GetProperty("id").GetString()!, second.GetProperty("id").GetString()!);

        var (queuedStatus, queuedBody) = await Archive(service, waiting);
        Assert.Equal((409, "not finished"), (queuedStatus, queuedBody.GetProperty("error").GetString()));
        Assert.Equal($"job {waiting} is queued: its archive exists once it succeeded", queuedBody.GetProperty("detail").GetString());

        // A follower connected to the waiting job (its first event came), then the job is deleted.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/jobs/{waiting}/events");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var events = await service.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await events.Content.ReadAsStreamAsync(timeout.Token));
        var lines = new List<string>();
        while (await reader.ReadLineAsync(timeout.Token) is { } line && !line.StartsWith("data: ", StringComparison.Ordinal))
        {
            lines.Add(line);
        }

        Assert.Equal("event: progress", lines[^1]);
        using var deleted = await service.Client.DeleteAsync($"/api/jobs/{waiting}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        string? name = null;
        JsonElement last = default;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                last = JsonDocument.Parse(line[6..]).RootElement.Clone();
                if (name == "done")
                {
                    break;
                }
            }
        }

        Assert.Equal("done", name);
        Assert.Equal((waiting, "cancelled"), (last.GetProperty("id").GetString(), last.GetProperty("status").GetString()));
        var (runningStatus, runningBody) = await Archive(service, running);
        Assert.Equal(409, runningStatus);
        Assert.Equal($"job {running} is running: its archive exists once it succeeded", runningBody.GetProperty("detail").GetString());
    }

    private static async Task<(int Status, JsonElement Body)> Archive(ServiceHost service, string id)
    {
        using var response = await service.Client.GetAsync($"/api/jobs/{id}/archive");
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task Finished_jobs_are_deleted_after_their_time_to_live()
    {
        using var temp = new TempDirectory();
        await using var service = await ServiceHost.StartAsync(s => s.ResultTtl = TimeSpan.FromSeconds(1));
        var id = await FinishedJob(service, Video(temp));

        await Expired(service, id);

        Assert.Equal(HttpStatusCode.NotFound, (await service.Client.GetAsync($"/api/jobs/{id}")).StatusCode);
        Assert.False(Directory.Exists(Path.Combine(service.DataFolder, "jobs", id)));
    }

    // Posts a one-frame job of the video and returns its id once it has finished.
    private static async Task<string> FinishedJob(ServiceHost service, string video)
    {
        var (_, job) = await service.PostAsync(ServiceHost.Form([(video, Path.GetFileName(video))], ("frames", "1")));
        var id = job.GetProperty("id").GetString()!;
        await service.FollowAsync(id);
        return id;
    }

    // Waits until the job is gone from the API. The runner looks for expired jobs every second: gone 1 to 2 s after its
    // time to live on an idle machine. The bound is for a loaded one; the wait lasts only as long as the removal takes.
    private static async Task Expired(ServiceHost service, string id)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((await service.Client.GetAsync($"/api/jobs/{id}")).StatusCode == HttpStatusCode.OK)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"job {id} was still there 30 s after it finished");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task An_expired_job_whose_folder_cannot_be_deleted_stays_listed_and_the_service_goes_on()
    {
        using var temp = new TempDirectory();
        await using var service = await ServiceHost.StartAsync(s => s.ResultTtl = TimeSpan.FromSeconds(3));
        var stuck = await FinishedJob(service, Video(temp));
        // A file system mounted over its output folder (within its 3 s): deleting the job's folder then fails (EBUSY), as
        // it would on a folder whose permissions an operator changed (the tests run as root, which permissions do not stop).
        var folder = Path.Combine(service.DataFolder, "jobs", stuck);
        using var mounted = new SmallDisk(Path.Combine(folder, "output"), "64k");
        var gone = await FinishedJob(service, Video(temp, "b"));

        // The other expired job is still removed on time: the runner went on past the one it could not delete.
        await Expired(service, gone);

        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync($"/api/jobs/{stuck}")).StatusCode);
        Assert.Equal("ok\n", await service.Client.GetStringAsync("/healthz"));
        Assert.True(Directory.Exists(folder));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Slow_headers_and_stalled_bodies_are_cut_off(bool body)
    {
        await using var service = await ServiceHost.StartAsync(s => (s.HeadersTimeout, s.BodyTimeout) = (TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));
        using var socket = new TcpClient();
        await socket.ConnectAsync(service.Address.Host, service.Address.Port);
        var stream = socket.GetStream();
        var request = body
            ? "POST /api/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n--b\r\n"
            : "GET /healthz HTTP/1.1\r\nHost: x\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));

        // The server answers (408 or 400) and closes, or just closes, within a few seconds; never waits for ever.
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var closed = false;
        try
        {
            while (await stream.ReadAsync(buffer, deadline.Token) > 0)
            {
            }

            closed = true;
        }
        catch (IOException)
        {
            closed = true;
        }

        Assert.True(closed);
        Assert.False(deadline.IsCancellationRequested, "the connection was still open after 15 s");
        var jobs = Path.Combine(service.DataFolder, "jobs");
        Assert.False(Directory.Exists(jobs) && Directory.EnumerateDirectories(jobs).Any());
    }
}
