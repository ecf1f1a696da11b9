using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Server;

/// <summary>The web service's API over real HTTP on loopback: a job from upload to archive, read back with the library.</summary>
public class ServiceApiTests
{
    private static (string Path, string Name)[] Videos(TempDirectory temp) =>
    [
        (TestVideo.Create(temp.Combine("in"), "a", 20, TestCodec.H264Mp4, 64, 48), "walk a.mp4"),
        (TestVideo.Create(temp.Combine("in"), "b", 31, TestCodec.Mpeg4Avi, 64, 48), "b.avi"),
    ];

    [Fact]
    public async Task A_job_goes_from_upload_to_records_followed_by_events_and_downloaded_whole_or_by_range()
    {
        using var temp = new TempDirectory();
        await using var service = await ServiceHost.StartAsync();
        using var form = ServiceHost.Form(Videos(temp), ("frames", "3"), ("size", "48x32"), ("layout", "sequence"));
        form.Add(new StringContent("path,label\nwalk_a.mp4,walking\nb.avi,waving\n"), "labels", "labels.csv");

        using var posted = await service.Client.PostAsync("/api/jobs", form);
        var job = JsonDocument.Parse(await posted.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var id = job.GetProperty("id").GetString()!;
        Assert.Equal($"/api/jobs/{id}", posted.Headers.Location!.OriginalString);
        var events = await service.FollowAsync(id);
        Assert.Equal("done", events[^1].Event);
        Assert.All(events[..^1], e => Assert.Equal("progress", e.Event));
        var done = events[^1].Job;
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        Assert.Equal((2, 2), (done.GetProperty("videosDone").GetInt32(), done.GetProperty("videosTotal").GetInt32()));
        Assert.True(done.TryGetProperty("finished", out var finished) && finished.ValueKind == JsonValueKind.String);

        var fetched = JsonDocument.Parse(await service.Client.GetStringAsync($"/api/jobs/{id}")).RootElement;
        var files = fetched.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f);
        Assert.Contains("manifest.json", files.Keys);
        Assert.Contains("videos.jsonl", files.Keys);
        var recordName = files.Keys.Single(n => n.EndsWith(".tfrecord", StringComparison.Ordinal));

        // The archive holds every file; its records read back with the library, labels from the uploaded CSV.
        var archive = temp.Combine("job.zip");
        await File.WriteAllBytesAsync(archive, await service.Client.GetByteArrayAsync($"/api/jobs/{id}/archive"));
        ZipFile.ExtractToDirectory(archive, temp.Combine("unzipped"));
        Assert.Equal(files.Keys.Order(StringComparer.Ordinal), Directory.GetFiles(temp.Combine("unzipped")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var (name, file) in files)
        {
            var bytes = await File.ReadAllBytesAsync(temp.Combine("unzipped", name));
            Assert.Equal(file.GetProperty("bytes").GetInt64(), bytes.Length);
            Assert.Equal(file.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }

        var records = RecordFiles.ReadAll(temp.Combine("unzipped", recordName));
        Assert.Equal([("b", "waving"), ("walk_a", "walking")], records.Select(r => (r.Id!, r.LabelText!)));
        Assert.Equal([3, 10, 16], RecordFiles.StoredPatternIndices(records[1]));
        var uploads = JsonDocument.Parse(await File.ReadAllTextAsync(temp.Combine("unzipped", "uploads.json"))).RootElement;
        Assert.Contains(uploads.EnumerateArray(), u => u.GetProperty("name").GetString() == "walk_a.mp4" && u.GetProperty("original").GetString() == "walk a.mp4");

        // One file, and a range of it.
        using var range = new HttpRequestMessage(HttpMethod.Get, $"/api/jobs/{id}/files/{recordName}");
        range.Headers.Range = new RangeHeaderValue(100, 199);
        using var partial = await service.Client.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal((await File.ReadAllBytesAsync(temp.Combine("unzipped", recordName)))[100..200], await partial.Content.ReadAsByteArrayAsync());

        var list = JsonDocument.Parse(await service.Client.GetStringAsync("/api/jobs")).RootElement;
        Assert.Equal([id], list.EnumerateArray().Select(j => j.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("frames", "zero", "--frames: expected a whole number from 1 to 1000000 or 'all', got 'zero'")]
    [InlineData("layout", "films", "--layout: expected one of example, sequence, tfds; got 'films'")]
    [InlineData("bogus", "1", "unknown option field 'bogus'")]
    [InlineData("output", "/etc", "the field 'output' is set by the service")]
    [InlineData("s3-endpoint", "http://169.254.169.254", "the field 's3-endpoint' is set by the service")]
    [InlineData("work-dir", "/etc", "the field 'work-dir' is set by the service")]
    [InlineData("encoding", "raw", "--encoding raw cannot be used with --layout sequence")]
    // A value is never read as another option, an input, or a file of the server to expand (@file).
    [InlineData("index", "--overwrite", "--index: expected true or false, got '--overwrite'")]
    [InlineData("frames", "@/etc/passwd", "got '@/etc/passwd'")]
    [InlineData("prefix", "x /etc", "--prefix: expected a plain file name start")]
    public async Task An_option_the_command_line_refuses_is_a_400_with_its_message(string name, string value, string message)
    {
        using var temp = new TempDirectory();
        await using var service = await ServiceHost.StartAsync();
        (string, string)[] extra = name == "encoding" ? [("layout", "sequence")] : [];

        var (status, body) = await service.PostAsync(ServiceHost.Form(Videos(temp), [(name, value), .. extra]));

        Assert.Equal(400, status);
        Assert.Equal("bad option", body.GetProperty("error").GetString());
        Assert.Contains(message, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(Directory.Exists(Path.Combine(service.DataFolder, "jobs")) ? Directory.GetDirectories(Path.Combine(service.DataFolder, "jobs")) : []);
    }

    [Fact]
    public async Task Bad_uploads_get_clear_errors_and_the_good_videos_of_a_job_are_still_converted()
    {
        using var temp = new TempDirectory();
        await using var service = await ServiceHost.StartAsync();
        File.WriteAllText(temp.Combine("notes.mp4"), "not a video at all");
        File.WriteAllBytes(temp.Combine("empty.mp4"), []);

        var (noFiles, noFilesBody) = await service.PostAsync(new MultipartFormDataContent { { new StringContent("3"), "frames" } });
        var (onlyText, onlyTextBody) = await service.PostAsync(ServiceHost.Form([(temp.Combine("notes.mp4"), "notes.mp4")]));
        using var badCsv = ServiceHost.Form(Videos(temp));
        badCsv.Add(new StringContent("path,label\n\"unclosed,walking\n"), "labels", "labels.csv");
        var (csv, csvBody) = await service.PostAsync(badCsv);
        var (mixed, mixedBody) = await service.PostAsync(ServiceHost.Form(
            [.. Videos(temp), (temp.Combine("notes.mp4"), "notes.mp4"), (temp.Combine("empty.mp4"), "empty.mp4"), (temp.Combine("notes.mp4"), "readme.txt")], ("frames", "2")));

        Assert.Equal((400, "no files"), (noFiles, noFilesBody.GetProperty("error").GetString()));
        Assert.Equal((400, "no videos"), (onlyText, onlyTextBody.GetProperty("error").GetString()));
        Assert.Contains("notes.mp4: ", onlyTextBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal((400, "bad option"), (csv, csvBody.GetProperty("error").GetString()));
        Assert.Contains("labels.csv", csvBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(202, mixed);
        var done = (await service.FollowAsync(mixedBody.GetProperty("id").GetString()!))[^1].Job;
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        Assert.Equal(2, done.GetProperty("videosTotal").GetInt32());
        var failures = done.GetProperty("failures").EnumerateArray().ToDictionary(f => f.GetProperty("file").GetString()!, f => f.GetProperty("reason").GetString()!);
        Assert.Equal(["empty.mp4", "notes.mp4", "readme.txt"], failures.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("the file is empty", failures["empty.mp4"]);
        Assert.Contains("not a video file type", failures["readme.txt"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_jobs_are_404_and_a_second_delete_too()
    {
        using var temp = new TempDirectory();
        await using var service = await ServiceHost.StartAsync();
        var (_, job) = await service.PostAsync(ServiceHost.Form(Videos(temp), ("frames", "2")));
        var id = job.GetProperty("id").GetString()!;
        await service.FollowAsync(id);

        using var first = await service.Client.DeleteAsync($"/api/jobs/{id}");
        using var second = await service.Client.DeleteAsync($"/api/jobs/{id}");
        using var gone = await service.Client.GetAsync($"/api/jobs/{id}");
        using var never = await service.Client.GetAsync("/api/jobs/0123456789abcdef01234567");
        using var odd = await service.Client.GetAsync("/api/jobs/..%2F..%2Fetc");

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.Equal("not found", JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, never.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, odd.StatusCode);
        Assert.False(Directory.Exists(Path.Combine(service.DataFolder, "jobs", id)));
    }

    [Fact]
    public async Task Health_readiness_and_the_openapi_document_answer()
    {
        await using var service = await ServiceHost.StartAsync(s => s.MaxQueuedJobs = 5);

        Assert.Equal("ok\n", await service.Client.GetStringAsync("/healthz"));
        var ready = JsonDocument.Parse(await service.Client.GetStringAsync("/readyz")).RootElement;
        Assert.Equal((0, 0, 5), (ready.GetProperty("queued").GetInt32(), ready.GetProperty("running").GetInt32(), ready.GetProperty("max_queued").GetInt32()));
        var openapi = JsonDocument.Parse(await service.Client.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = openapi.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/jobs", paths);
        Assert.Contains("/api/jobs/{id}/archive", paths);
        var page = await service.Client.GetStringAsync("/");
        Assert.Contains("<label for=\"labels\">", page, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", page, StringComparison.Ordinal);
        Assert.Contains("EventSource", await service.Client.GetStringAsync("/app.js"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_names_never_become_paths()
    {
        using var temp = new TempDirectory();
        await using var service = await ServiceHost.StartAsync();
        var video = Videos(temp)[0].Path;
        var names = new[] { "../../../../etc/passwd.mp4", "/abs/olute.mp4", "C:\\Users\\x\\win.mp4", "nul\0byte.mp4", new string('x', 300) + ".mp4", "same.mp4", "same.mp4", "..mp4" };
        var form = new MultipartFormDataContent();
        foreach (var name in names)
        {
            var part = new StreamContent(File.OpenRead(video));
            part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"files\"", FileNameStar = name };
            form.Add(part);
        }

        form.Add(new StringContent("1"), "frames");
        var (status, job) = await service.PostAsync(form);

        Assert.True(status == 202, job.ToString());
        var id = job.GetProperty("id").GetString()!;
        Assert.Equal("succeeded", (await service.FollowAsync(id))[^1].Job.GetProperty("status").GetString());
        var input = Path.Combine(service.DataFolder, "jobs", id, "input");
        var saved = Directory.GetFiles(input).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(names.Length, saved.Count);
        Assert.All(saved, n => Assert.Matches("^[A-Za-z0-9_][A-Za-z0-9._-]{0,90}$", n));
        Assert.Contains("passwd.mp4", saved);
        Assert.Contains("win.mp4", saved);
        Assert.Contains("same-2.mp4", saved);
        Assert.False(File.Exists("/etc/passwd.mp4"));
        var uploads = JsonDocument.Parse(await service.Client.GetStringAsync($"/api/jobs/{id}/files/uploads.json")).RootElement;
        Assert.Equal(names.Order(StringComparer.Ordinal), uploads.EnumerateArray().Select(u => u.GetProperty("original").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Allowed_extensions_replace_the_default_list_and_a_clips_part_cuts_the_videos()
    {
        using var temp = new TempDirectory();
        await using var service = await ServiceHost.StartAsync(s => s.AllowedExtensions = ["avi"]);
        using var form = ServiceHost.Form(Videos(temp), ("frames", "2"));
        // b.avi is 31 frames at 25 fps: [0 s, 0.4 s) holds frames 0..9, [0.6 s, 1.2 s) frames 15..29.
        form.Add(new StringContent("video,start,end\nb.avi,0,0.4\nb.avi,0.6,1.2\n"), "clips", "clips.csv");

        using var posted = await service.Client.PostAsync("/api/jobs", form);
        var job = JsonDocument.Parse(await posted.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var done = (await service.FollowAsync(job.GetProperty("id").GetString()!))[^1].Job;

        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        var failure = Assert.Single(done.GetProperty("failures").EnumerateArray());
        Assert.Equal("walk a.mp4", failure.GetProperty("file").GetString());
        Assert.Equal("not a video file type this service takes (.mp4); allowed: avi", failure.GetProperty("reason").GetString());
        var id = job.GetProperty("id").GetString()!;
        var record = done.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString()!).Single(n => n.EndsWith(".tfrecord", StringComparison.Ordinal));
        await File.WriteAllBytesAsync(temp.Combine(record), await service.Client.GetByteArrayAsync($"/api/jobs/{id}/files/{record}"));
        var clips = RecordFiles.ReadAll(temp.Combine(record));
        Assert.Equal([("b", 0L, 400_000L), ("b", 600_000L, 1_200_000L)], clips.Select(r => (r.Clip!.SourceId, r.Clip.StartUs, r.Clip.EndUs)));
        // Centered 2 of each window: frames 2 and 7 of 0..9; 18 and 26 of 15..29.
        Assert.Equal([2, 7], RecordFiles.StoredPatternIndices(clips[0]));
        Assert.Equal([18, 26], RecordFiles.StoredPatternIndices(clips[1]));
    }

    [Fact]
    public async Task An_upload_cut_off_mid_body_leaves_nothing_and_the_service_goes_on()
    {
        using var temp = new TempDirectory();
        await using var service = await ServiceHost.StartAsync();
        var video = await File.ReadAllBytesAsync(Videos(temp)[0].Path);
        const string boundary = "cutcutcut";
        var head = Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.mp4\"\r\n\r\n");

        var jobs = Path.Combine(service.DataFolder, "jobs");
        using (var socket = new System.Net.Sockets.TcpClient())
        {
            await socket.ConnectAsync(service.Address.Host, service.Address.Port);
            var stream = socket.GetStream();
            var request = $"POST /api/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {head.Length + video.Length + 100}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
            await stream.WriteAsync(head);
            await stream.WriteAsync(video.AsMemory(0, video.Length / 2));
            await stream.FlushAsync();

            // The cut comes once the server has made the job's folder and opened the upload's file in it: else there
            // would be nothing to clean up, and the test would pass whether or not the server cleans up.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!(Directory.Exists(jobs) && Directory.EnumerateFiles(jobs, "a.mp4", SearchOption.AllDirectories).Any()))
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the server made no job folder holding a.mp4 within 30 s of the upload's start");
                await Task.Delay(20);
            }
        }

        // The server notices the connection is gone and removes the half-written job.
        var removal = System.Diagnostics.Stopwatch.StartNew();
        while (Directory.EnumerateFileSystemEntries(jobs).Any())
        {
            Assert.True(removal.Elapsed < TimeSpan.FromSeconds(30), "the cut-off job's folder was still there 30 s after the client went: "
                + string.Join(", ", Directory.EnumerateFileSystemEntries(jobs, "*", SearchOption.AllDirectories)));
            await Task.Delay(50);
        }

        Assert.Equal("[]", await service.Client.GetStringAsync("/api/jobs"));
        var (status, _) = await service.PostAsync(ServiceHost.Form(Videos(temp), ("frames", "1")));
        Assert.Equal(202, status);
    }
}
