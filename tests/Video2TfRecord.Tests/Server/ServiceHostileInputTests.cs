using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Server;

/// <summary>
/// What a stranger can send the service (issue 23): fields that make a small upload large, numbers past any range, CSVs
/// that name uploads as the client did, files that are not text, and answers that must stay short, job-relative and JSON.
/// </summary>
public class ServiceHostileInputTests
{
    private static string Video(TempDirectory temp, string name, int frames = 31) =>
        TestVideo.Create(temp.Combine("in"), name, frames, TestCodec.H264Mp4, 64, 48);

    private static List<string> JobFolders(ServiceHost service) =>
        Directory.Exists(Path.Combine(service.DataFolder, "jobs")) ? [.. Directory.GetDirectories(Path.Combine(service.DataFolder, "jobs"))] : [];

    [Fact]
    public async Task A_job_whose_output_passes_MaxOutputBytes_is_stopped_failed_with_the_reason_and_its_output_deleted()
    {
        using var temp = new TempDirectory();
        // One raw record is 31 × 64 × 48 × 3 = 285,696 bytes: the first one passes the limit.
        await using var service = await ServiceHost.StartAsync(s => (s.MaxOutputBytes, s.JobsPerConversion) = (150_000, 1));
        var videos = Enumerable.Range(0, 6).Select(i => (Video(temp, $"v{i}"), $"v{i}.mp4")).ToList();

        var (status, job) = await service.PostAsync(ServiceHost.Form(videos, ("frames", "all"), ("encoding", "raw"), ("videos-per-file", "1")));

        Assert.True(status == 202, job.ToString());
        var id = job.GetProperty("id").GetString()!;
        var done = (await service.FollowAsync(id))[^1].Job;
        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.StartsWith("the job's output passed 150000 bytes (Video2TfRecord:Server:MaxOutputBytes) after ", done.GetProperty("error").GetString(), StringComparison.Ordinal);
        // Stopped while it ran, not at the end: the other videos were never converted.
        Assert.True(done.GetProperty("videosDone").GetInt32() < 6, done.ToString());
        Assert.Empty(done.GetProperty("files").EnumerateArray());
        Assert.False(Directory.Exists(Path.Combine(service.DataFolder, "jobs", id, "output")));
    }

    [Fact]
    public async Task A_record_past_MaxRecordBytes_is_skipped_and_a_larger_max_record_bytes_field_is_refused()
    {
        using var temp = new TempDirectory();
        await using var service = await ServiceHost.StartAsync(s => s.MaxRecordBytes = 100_000);
        var video = Video(temp, "a");

        var (status, job) = await service.PostAsync(ServiceHost.Form([(video, "a.mp4")], ("frames", "all"), ("encoding", "raw")));
        var (larger, largerBody) = await service.PostAsync(ServiceHost.Form([(video, "a.mp4")], ("max-record-bytes", "200000")));

        Assert.True(status == 202, job.ToString());
        var done = (await service.FollowAsync(job.GetProperty("id").GetString()!))[^1].Job;
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        var failure = Assert.Single(done.GetProperty("failures").EnumerateArray());
        Assert.Equal("a.mp4", failure.GetProperty("file").GetString());
        Assert.Contains("more than --max-record-bytes 100000", failure.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal((400, "bad option"), (larger, largerBody.GetProperty("error").GetString()));
        Assert.Equal("--max-record-bytes: this service writes records of at most 100000 bytes (Video2TfRecord:Server:MaxRecordBytes), got 200000",
            largerBody.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("clip-length", "99999999999999999999")]
    [InlineData("clip-stride", "99999999999999999999")]
    public async Task A_number_past_what_the_conversion_computes_with_is_a_400_in_the_command_line_words(string name, string value)
    {
        using var temp = new TempDirectory();
        await using var service = await ServiceHost.StartAsync();
        var video = Video(temp, "a", 10);
        (string, string)[] fields = name == "clip-stride" ? [("clip-length", "1"), (name, value)] : [(name, value)];

        using var response = await service.Client.PostAsync("/api/jobs", ServiceHost.Form([(video, "a.mp4")], fields));
        var text = await response.Content.ReadAsStringAsync();
        var cli = CliRunner.Run(["convert", temp.Combine("in"), "-o", temp.Combine("out"), .. fields.SelectMany(f => new[] { "--" + f.Item1, f.Item2 })]);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: '{text}'");
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal("bad option", body.GetProperty("error").GetString());
        var detail = body.GetProperty("detail").GetString()!;
        Assert.NotEmpty(detail);
        // The words the command line prints for the same value (it may add "unexpected error: " where no range check caught it).
        Assert.Equal(1, cli.ExitCode);
        Assert.EndsWith(detail, cli.Error.Split('\n')[0].TrimEnd(), StringComparison.Ordinal);
        Assert.Empty(JobFolders(service));
    }

    [Fact]
    public async Task Label_and_clip_rows_match_the_names_the_client_sent_and_rows_that_match_nothing_are_reported()
    {
        using var temp = new TempDirectory();
        await using var service = await ServiceHost.StartAsync();
        var a = Video(temp, "a", 20);
        var b = Video(temp, "b", 20);
        using var labelled = ServiceHost.Form([(a, "vidéo clip 01.mp4"), (b, "dir\\b c.mp4")], ("frames", "2"));
        labelled.Add(new StringContent("path,label\nvidéo clip 01.mp4,walking\nb c,waving\nghost.mp4,flying\n"), "labels", "my labels.csv");
        using var clipped = ServiceHost.Form([(a, "vidéo clip 01.mp4")], ("frames", "2"));
        clipped.Add(new StringContent("video,start,end\nvidéo clip 01.mp4,0,0.4\nnowhere.mp4,0,0.4\n"), "clips", "clips.csv");

        var (labelStatus, labelJob) = await service.PostAsync(labelled);
        var (clipStatus, clipJob) = await service.PostAsync(clipped);

        Assert.True(labelStatus == 202, labelJob.ToString());
        Assert.True(clipStatus == 202, clipJob.ToString());
        var labelId = labelJob.GetProperty("id").GetString()!;
        var labelDone = (await service.FollowAsync(labelId))[^1].Job;
        Assert.Equal("succeeded", labelDone.GetProperty("status").GetString());
        var records = RecordFiles.ReadAll(await Download(service, labelId, temp));
        Assert.Equal([("b_c", "waving"), ("vid_o_clip_01", "walking")], records.Select(r => (r.Id!, r.LabelText!)));
        var labelFailure = Assert.Single(labelDone.GetProperty("failures").EnumerateArray());
        Assert.Equal("labels.csv", labelFailure.GetProperty("file").GetString());
        Assert.Equal("1 rows of labels.csv match no video: ghost.mp4", labelFailure.GetProperty("reason").GetString());

        var clipId = clipJob.GetProperty("id").GetString()!;
        var clipDone = (await service.FollowAsync(clipId))[^1].Job;
        Assert.Equal("succeeded", clipDone.GetProperty("status").GetString());
        var clip = Assert.Single(RecordFiles.ReadAll(await Download(service, clipId, temp)));
        Assert.StartsWith("vid_o_clip_01", clip.Id, StringComparison.Ordinal);
        var clipFailure = Assert.Single(clipDone.GetProperty("failures").EnumerateArray());
        Assert.Equal("no video of the inputs matches 'nowhere.mp4' (clips.csv line 3)", clipFailure.GetProperty("reason").GetString());
    }

    private static async Task<string> Download(ServiceHost service, string id, TempDirectory temp)
    {
        var job = JsonDocument.Parse(await service.Client.GetStringAsync($"/api/jobs/{id}")).RootElement;
        var name = job.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString()!).Single(n => n.EndsWith(".tfrecord", StringComparison.Ordinal));
        var path = temp.Combine(id + "-" + name);
        await File.WriteAllBytesAsync(path, await service.Client.GetByteArrayAsync($"/api/jobs/{id}/files/{name}"));
        return path;
    }

    [Fact]
    public async Task Error_details_name_job_relative_files_never_the_servers_paths()
    {
        using var temp = new TempDirectory();
        await using var service = await ServiceHost.StartAsync();
        var video = Video(temp, "a", 10);
        using var form = ServiceHost.Form([(video, "a.mp4")]);
        form.Add(new StringContent("name,label\na.mp4,walking\n"), "labels", "labels.csv");

        var (status, body) = await service.PostAsync(form);

        Assert.Equal((400, "bad option"), (status, body.GetProperty("error").GetString()));
        var detail = body.GetProperty("detail").GetString()!;
        Assert.StartsWith("labels.csv: no video column in the header (columns: name, label)", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(service.DataFolder, detail, StringComparison.Ordinal);
        Assert.DoesNotContain("/jobs/", detail, StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[]> NotText => new()
    {
        { "UTF-16", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("path,label\na.mp4,walking\n")).ToArray() },
        { "binary with NUL bytes", Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7919 % 256)).ToArray() },
        { "bytes that are not UTF-8", Enumerable.Range(0, 20_000).Select(i => (byte)(0x80 + (i % 64))).Append((byte)'\n').ToArray() },
    };

    [Theory]
    [MemberData(nameof(NotText))]
    public async Task A_labels_part_that_is_not_text_gets_a_short_printable_detail(string kind, byte[] bytes)
    {
        using var temp = new TempDirectory();
        await using var service = await ServiceHost.StartAsync();
        using var form = ServiceHost.Form([(Video(temp, "a", 10), "a.mp4")]);
        form.Add(new ByteArrayContent(bytes), "labels", "labels.csv");

        var (status, body) = await service.PostAsync(form);

        Assert.True(status == 400, $"{kind}: {body}");
        var detail = body.GetProperty("detail").GetString()!;
        Assert.True(detail.Length <= 1100, $"{kind}: {detail.Length} characters");
        Assert.DoesNotContain(detail, c => char.IsControl(c) || c == '\uFFFD');
        Assert.Contains("labels.csv", detail, StringComparison.Ordinal);
        Assert.Empty(JobFolders(service));
    }

    [Fact]
    public async Task The_no_videos_detail_names_ten_uploads_and_counts_the_rest()
    {
        await using var service = await ServiceHost.StartAsync();
        var form = new MultipartFormDataContent();
        for (var i = 0; i < 300; i++)
        {
            form.Add(new StringContent("not a video"), "files", $"notes-{i:D3}-{new string('x', 60)}.txt");
        }

        var (status, body) = await service.PostAsync(form);

        Assert.Equal((400, "no videos"), (status, body.GetProperty("error").GetString()));
        var detail = body.GetProperty("detail").GetString()!;
        Assert.True(detail.Length < 2000, $"{detail.Length} characters");
        Assert.Contains("notes-009-", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("notes-010-", detail, StringComparison.Ordinal);
        Assert.EndsWith("; and 290 more", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frames", "Required argument missing for option: '--frames'.")]
    [InlineData("size", "Required argument missing for option: '--size'.")]
    public async Task An_empty_field_is_refused_for_itself_never_read_as_the_option_after_it(string name, string message)
    {
        using var temp = new TempDirectory();
        await using var service = await ServiceHost.StartAsync();

        var (status, body) = await service.PostAsync(ServiceHost.Form([(Video(temp, "a", 10), "a.mp4")], (name, ""), ("layout", "sequence")));

        Assert.Equal((400, "bad option"), (status, body.GetProperty("error").GetString()));
        Assert.Equal(message, body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Two_labels_parts_are_refused_instead_of_the_second_winning()
    {
        using var temp = new TempDirectory();
        await using var service = await ServiceHost.StartAsync();
        using var form = ServiceHost.Form([(Video(temp, "a", 10), "a.mp4")]);
        form.Add(new StringContent("path,label\na.mp4,walking\n"), "labels", "first.csv");
        form.Add(new StringContent("path,label\na.mp4,waving\n"), "labels", "second.csv");

        var (status, body) = await service.PostAsync(form);

        Assert.Equal((400, "bad part"), (status, body.GetProperty("error").GetString()));
        Assert.Equal("two parts named labels: a job takes one labels CSV", body.GetProperty("detail").GetString());
        Assert.Empty(JobFolders(service));
    }

    [Fact]
    public async Task Head_on_a_file_and_on_the_archive_answers_as_get_without_a_body()
    {
        using var temp = new TempDirectory();
        await using var service = await ServiceHost.StartAsync();
        var (_, job) = await service.PostAsync(ServiceHost.Form([(Video(temp, "a", 10), "a.mp4")], ("frames", "2")));
        var id = job.GetProperty("id").GetString()!;
        var done = (await service.FollowAsync(id))[^1].Job;
        var manifest = done.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "manifest.json");

        using var file = await service.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/jobs/{id}/files/manifest.json"));
        using var archive = await service.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/jobs/{id}/archive"));
        using var missing = await service.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/jobs/{id}/files/nothing.json"));

        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal(manifest.GetProperty("bytes").GetInt64(), file.Content.Headers.ContentLength);
        Assert.Equal("bytes", file.Headers.AcceptRanges.Single());
        Assert.Empty(await file.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, archive.StatusCode);
        Assert.Equal(new MediaTypeHeaderValue("application/zip"), archive.Content.Headers.ContentType);
        Assert.Empty(await archive.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_failure_no_route_expected_is_a_json_500_without_the_servers_paths_never_an_empty_body()
    {
        using var temp = new TempDirectory();
        await using var service = await ServiceHost.StartAsync();
        var (_, job) = await service.PostAsync(ServiceHost.Form([(Video(temp, "a", 10), "a.mp4")], ("frames", "2")));
        var id = job.GetProperty("id").GetString()!;
        await service.FollowAsync(id);
        // An output file removed from under the service (a full disk cleaned by hand): the job still lists it.
        File.Delete(Path.Combine(service.DataFolder, "jobs", id, "output", "manifest.json"));

        using var response = await service.Client.GetAsync($"/api/jobs/{id}/files/manifest.json");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal("internal error", body.GetProperty("error").GetString());
        var detail = body.GetProperty("detail").GetString()!;
        Assert.StartsWith("unexpected error: ", detail, StringComparison.Ordinal);
        Assert.Contains($"…/jobs/{id}/output/manifest.json", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(service.DataFolder, detail, StringComparison.Ordinal);
    }
}
