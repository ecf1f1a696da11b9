using System.Security.Cryptography;
using System.Text.Json;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Storage;

/// <summary>
/// <c>s3://</c> inputs and outputs against a real S3-compatible server (s3rver) on loopback: the same records as from
/// and to a folder, byte for byte; multipart uploads; resume after a killed run; workers at once; and the failures a
/// bucket brings, each with the key and the cause named.
/// </summary>
public sealed class S3ConversionTests(S3Server s3) : IClassFixture<S3Server>
{
    private static readonly string[] Common = ["--frames", "3", "--videos-per-file", "2", "--labels-from-folder", "--quiet", "--jobs", "2"];

    private static string MakeVideos(TempDirectory temp, int count = 5)
    {
        var input = temp.CreateFolder("in");
        for (var i = 0; i < count; i++)
        {
            TestVideo.Create(temp.Combine("in", i % 2 == 0 ? "even" : "odd"), $"v{i}", 5 + i, TestCodec.H264Mp4, 48, 32);
        }

        return input;
    }

    // A run that fails because the server is gone says so, with the server's last output, instead of the run's own
    // "connection refused".
    private CliRunner.Outcome Run(params string[] args)
    {
        var outcome = CliRunner.Run([.. args, .. s3.Options]);
        if (outcome.ExitCode != 0)
        {
            s3.CheckRunning();
        }

        return outcome;
    }

    [Fact]
    public void A_bucket_prefix_is_listed_like_a_folder_and_converts_to_the_same_records()
    {
        using var temp = new TempDirectory();
        var input = MakeVideos(temp);
        // Keys with spaces and non-ASCII letters are listed, downloaded and named as a folder's files are.
        TestVideo.Create(temp.Combine("in", "odd"), "v5 été", 6, TestCodec.H264Mp4, 48, 32);
        File.WriteAllText(Path.Combine(input, "notes.txt"), "not a video");
        TestVideo.Create(temp.Combine("in", ".hidden"), "h", 5, TestCodec.H264Mp4, 48, 32);
        File.WriteAllText(temp.Combine("labels.csv"), "path,label\neven/v0.mp4,zero\neven/v2.mp4,two\neven/v4.mp4,four\nodd/v1.mp4,one\nodd/v3.mp4,three\nodd/v5 été.mp4,five\n");
        var bucket = s3.NewBucket();
        s3.UploadFolder(input, bucket, "data");
        s3.Upload(temp.Combine("labels.csv"), bucket, "meta/labels.csv");
        string[] options = ["--frames", "3", "--videos-per-file", "2", "--quiet"];

        var local = CliRunner.Run(["convert", input, "-o", temp.Combine("local"), "--labels", temp.Combine("labels.csv"), .. options]);
        var remote = Run(["convert", $"s3://{bucket}/data", "-o", temp.Combine("remote"), "--labels", $"s3://{bucket}/meta/labels.csv", .. options]);

        Assert.True(local.ExitCode == 0, local.Error);
        Assert.True(remote.ExitCode == 0, remote.Error);
        Assert.Contains("converted 6 of 6 videos", remote.Output, StringComparison.Ordinal);
        // Records, labels and the shard plan are the same: the ids come from the relative paths under the prefix.
        SameRun.Equal(temp.Combine("local"), temp.Combine("remote"), sameLog: false, sameVideos: false);
        var sources = File.ReadAllLines(temp.Combine("remote", "videos.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("source").GetString()).ToList();
        Assert.Equal(new[] { "even/v0.mp4", "even/v2.mp4", "even/v4.mp4", "odd/v1.mp4", "odd/v3.mp4", "odd/v5 été.mp4" }.Select(p => $"s3://{bucket}/data/{p}"), sources);
    }

    [Fact]
    public void An_input_list_may_name_objects_and_a_clips_csv_may_be_an_object()
    {
        using var temp = new TempDirectory();
        var input = MakeVideos(temp, 3);
        var bucket = s3.NewBucket();
        s3.UploadFolder(input, bucket, "v");
        File.WriteAllText(temp.Combine("clips.csv"), "video,start,end,caption\nv0,0,0.1,first\nv1,0.04,0.2,second\n");
        s3.Upload(temp.Combine("clips.csv"), bucket, "clips.csv");
        File.WriteAllText(temp.Combine("list.txt"), $"# two of the three\ns3://{bucket}/v/even/v0.mp4\ns3://{bucket}/v/odd/v1.mp4\n");

        var run = Run("convert", "--input-list", temp.Combine("list.txt"), "--clips", $"s3://{bucket}/clips.csv", "-o", temp.Combine("out"), "--frames", "2", "--quiet");

        Assert.True(run.ExitCode == 0, run.Error);
        var lines = File.ReadAllLines(temp.Combine("out", "videos.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["v0_000000_000100", "v1_000040_000200"], lines.Select(l => l.GetProperty("id").GetString()));
        Assert.Equal(["first", "second"], lines.Select(l => l.GetProperty("caption").GetString()));
    }

    [Fact]
    public async Task Output_to_a_bucket_has_the_bytes_of_a_folder_run_with_each_sha256_recorded_and_no_temporary_object()
    {
        using var temp = new TempDirectory();
        var input = MakeVideos(temp);
        var bucket = s3.NewBucket();

        var local = CliRunner.Run(["convert", input, "-o", temp.Combine("local"), "--index", .. Common]);
        var remote = Run(["convert", input, "-o", $"s3://{bucket}/runs/a", "--index", "--work-dir", temp.Combine("work"), .. Common]);

        Assert.True(local.ExitCode == 0, local.Error);
        Assert.True(remote.ExitCode == 0, remote.Error);
        Assert.Contains($"s3://{bucket}/runs/a/videos-00000-of-00003.tfrecord  2 records", remote.Output, StringComparison.Ordinal);
        Assert.Contains($"output folder: s3://{bucket}/runs/a", remote.Output, StringComparison.Ordinal);
        var keys = s3.Keys(bucket);
        Assert.DoesNotContain(keys, k => k.Split('/')[^1].StartsWith('.'));
        s3.DownloadFolder(bucket, "runs/a", temp.Combine("copy"));
        SameRun.Equal(temp.Combine("local"), temp.Combine("copy"), sameLog: false);
        using var manifest = JsonDocument.Parse(File.ReadAllText(temp.Combine("copy", "manifest.json")));
        Assert.Equal($"s3://{bucket}/runs/a/", manifest.RootElement.GetProperty("output").GetString());
        foreach (var file in manifest.RootElement.GetProperty("files").EnumerateArray())
        {
            var name = file.GetProperty("name").GetString()!;
            var head = await s3.Client.GetObjectMetadataAsync(bucket, "runs/a/" + name);
            Assert.Equal(file.GetProperty("sha256").GetString(), head.Metadata["sha256"]);
            Assert.Equal(file.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(s3.Read(bucket, "runs/a/" + name))));
        }

        // A folder a killed process of this machine left is reclaimed by the next run; another machine's is not touched.
        var dead = temp.CreateFolder("work2", $"run-{int.MaxValue}@{Environment.MachineName}-0123456789ab");
        var elsewhere = temp.CreateFolder("work2", $"run-{int.MaxValue}@another-machine-0123456789ab");
        Assert.Equal(0, Run(["convert", input, "-o", $"s3://{bucket}/runs/b", "--work-dir", temp.Combine("work2"), .. Common]).ExitCode);
        Assert.False(Directory.Exists(dead));
        Assert.True(Directory.Exists(elsewhere));

        // The staging folder went with the run; the work folder it made is the user's alone.
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Combine("work")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(temp.Combine("work")));
    }

    [Fact]
    public void Inspect_verify_index_and_preview_read_a_bucket_and_speak_of_its_urls()
    {
        using var temp = new TempDirectory();
        var input = MakeVideos(temp, 3);
        var bucket = s3.NewBucket();
        Assert.Equal(0, Run(["convert", input, "-o", $"s3://{bucket}/r", .. Common]).ExitCode);
        var shard = $"s3://{bucket}/r/videos-00000-of-00002.tfrecord";

        var inspect = Run("inspect", $"s3://{bucket}/r");
        var verify = Run("verify", $"s3://{bucket}/r/");
        var index = Run("index", shard);
        var preview = Run("preview", shard, "-o", temp.Combine("sheet.png"));
        s3.Upload(Path.Combine(input, "even", "v0.mp4"), bucket, "bad/videos-00000-of-00001.tfrecord");
        var damaged = Run("verify", $"s3://{bucket}/bad/videos-00000-of-00001.tfrecord");
        var nothing = Run("inspect", $"s3://{bucket}/none");

        Assert.True(inspect.ExitCode == 0, inspect.Error);
        Assert.Contains($"{shard}: 2 records, none compression", inspect.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Path.GetTempPath(), inspect.Output, StringComparison.Ordinal);
        Assert.True(verify.ExitCode == 0, verify.Error);
        Assert.Contains($"ok: s3://{bucket}/r (run complete, 2 of 2 files checked against manifest.json)", verify.Output, StringComparison.Ordinal);
        Assert.True(index.ExitCode == 0, index.Error);
        Assert.Contains($"{shard}.idx: 2 records", index.Output, StringComparison.Ordinal);
        Assert.Equal(2, System.Text.Encoding.ASCII.GetString(s3.Read(bucket, "r/videos-00000-of-00002.tfrecord.idx")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.True(preview.ExitCode == 0, preview.Error);
        Assert.True(new FileInfo(temp.Combine("sheet.png")).Length > 0);
        Assert.Equal(1, damaged.ExitCode);
        Assert.Contains($"FAILED: s3://{bucket}/bad/videos-00000-of-00001.tfrecord", damaged.Output, StringComparison.Ordinal);
        Assert.Equal(1, nothing.ExitCode);
        Assert.Contains($"s3://{bucket}/none/: no object of that name, and no record files or manifest.json under it", nothing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shard_larger_than_a_part_goes_up_in_parts_and_at_most_jobs_plus_one_shards_are_staged()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        for (var i = 0; i < 4; i++)
        {
            TestVideo.Create(input, $"big{i}", 12, TestCodec.H264Mp4, 320, 240);
        }

        var bucket = s3.NewBucket();
        // Raw 320x240x3 frames, 12 each: 2.76 MB per record, 5.5 MB per shard of 2, so a 5 MiB part size makes 2 parts.
        string[] options = ["--frames", "all", "--encoding", "raw", "--videos-per-file", "2", "--quiet", "--jobs", "2"];
        var staged = new StagingWatch(temp.CreateFolder("work"));

        var local = CliRunner.Run(["convert", input, "-o", temp.Combine("local"), .. options]);
        using var link = new FaultyLink(s3.Endpoint);
        var remote = CliRunner.Run(["convert", input, "-o", $"s3://{bucket}/big", "--s3-part-size", "5", "--work-dir", temp.Combine("work"), "--s3-endpoint", link.Endpoint, "--s3-path-style", .. options]);
        staged.Dispose();

        Assert.True(local.ExitCode == 0, local.Error);
        Assert.True(remote.ExitCode == 0, remote.Error);
        var head = await s3.Client.GetObjectMetadataAsync(bucket, "big/videos-00000-of-00002.tfrecord");
        Assert.True(head.ContentLength > 5 << 20, $"{head.ContentLength} bytes");
        Assert.Equal(4, link.Parts); // two shards of two parts each
        s3.DownloadFolder(bucket, "big", temp.Combine("copy"));
        SameRun.Equal(temp.Combine("local"), temp.Combine("copy"), sameLog: false);
        // One being written and the one before it being uploaded, at most.
        Assert.InRange(staged.MostShardsAtOnce, 1, 2);
    }

    [Fact]
    public async Task A_killed_run_resumes_against_the_bucket_and_keeps_its_finished_shards()
    {
        using var temp = new TempDirectory();
        var input = InterruptibleRun.MakeCorpus(temp, 6, 40);
        var bucket = s3.NewBucket();
        var output = $"s3://{bucket}/resumed";
        var environment = new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = S3Server.AccessKey, ["AWS_SECRET_ACCESS_KEY"] = S3Server.AccessKey };

        // The second shard's upload is held on the way: the run is killed while it waits there, after its first
        // checkpoint (shard, log, manifest) is in the bucket and with no other request in flight.
        using (var link = new FaultyLink(s3.Endpoint) { HoldKey = "videos-00001-of-00003.tfrecord" })
        using (var process = CliProcess.StartWith(environment, [.. InterruptibleRun.Convert(input, output), "--s3-checkpoint", "0", "--s3-endpoint", link.Endpoint, "--s3-path-style"]))
        {
            var ended = Task.Run(process.WaitForExit);
            Assert.True(await Task.WhenAny(link.Holding, ended, Task.Delay(TimeSpan.FromMinutes(3))) == link.Holding, "the run never reached its second upload");
            process.Kill(entireProcessTree: true);
            await ended;
        }

        var first = await s3.Client.GetObjectMetadataAsync(bucket, "resumed/videos-00000-of-00003.tfrecord");
        // --s3-checkpoint 0: the checkpoint after the first shard is in the bucket.
        Assert.Contains("videos-00000-of-00003.tfrecord", System.Text.Encoding.UTF8.GetString(s3.Read(bucket, "resumed/manifest.json")), StringComparison.Ordinal);
        Assert.DoesNotContain("resumed/videos.jsonl", s3.Keys(bucket));
        Assert.DoesNotContain("resumed/videos-00001-of-00003.tfrecord", s3.Keys(bucket));

        var resumed = Run([.. InterruptibleRun.Convert(input, output), "--resume"]);
        var whole = CliRunner.Run(InterruptibleRun.Convert(input, temp.Combine("whole")));

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(0, whole.ExitCode);
        var kept = await s3.Client.GetObjectMetadataAsync(bucket, "resumed/videos-00000-of-00003.tfrecord");
        Assert.Equal(first.LastModified, kept.LastModified);
        Assert.Equal(first.ETag, kept.ETag);
        s3.DownloadFolder(bucket, "resumed", temp.Combine("copy"));
        SameRun.Equal(temp.Combine("whole"), temp.Combine("copy"), sameLog: false);
    }

    [Fact]
    public void Two_workers_at_once_into_one_prefix_then_merged_equal_one_process()
    {
        using var temp = new TempDirectory();
        var input = MakeVideos(temp, 7);
        var bucket = s3.NewBucket();
        var environment = new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = S3Server.AccessKey, ["AWS_SECRET_ACCESS_KEY"] = S3Server.AccessKey };

        var one = Run(["convert", input, "-o", $"s3://{bucket}/one", .. Common]);
        var workers = Enumerable.Range(0, 2)
            .Select(i => CliProcess.StartWith(environment, ["convert", input, "-o", $"s3://{bucket}/split", "--worker-index", $"{i}", "--worker-count", "2", .. Common, .. s3.Options]))
            .ToList();
        var outcomes = workers.Select(CliProcess.Finish).ToList();
        var merge = Run("merge-manifests", $"s3://{bucket}/split");

        Assert.True(one.ExitCode == 0, one.Error);
        Assert.All(outcomes, o => Assert.True(o.ExitCode == 0, o.Error));
        Assert.True(merge.ExitCode == 0, merge.Error);
        Assert.Contains($"merged: 4 files, 7 of 7 videos written (0 skipped, 0 failed) into s3://{bucket}/split/manifest.json", merge.Output, StringComparison.Ordinal);
        s3.DownloadFolder(bucket, "one", temp.Combine("one"));
        s3.DownloadFolder(bucket, "split", temp.Combine("split"));
        Assert.DoesNotContain(SameRun.Files(temp.Combine("split")), n => n.Contains("worker", StringComparison.Ordinal));
        SameRun.Equal(temp.Combine("one"), temp.Combine("split"));
    }

    [Fact]
    public void A_missing_bucket_no_credentials_and_a_malformed_location_are_refused_with_exit_1()
    {
        using var temp = new TempDirectory();
        var input = MakeVideos(temp, 1);
        var noBucket = Run("convert", input, "-o", "s3://no-such-bucket-here/out", "--quiet");
        var noInputBucket = Run("convert", "s3://no-such-bucket-here/videos/", "-o", temp.Combine("out"), "--quiet");
        var malformed = Run("convert", "s3://x/videos", "-o", temp.Combine("out"), "--quiet");
        // Capitals and '_' pass the local check (Ceph and GCS take them); a store without such a bucket is told as a bad name.
        var notAwsName = Run("convert", input, "-o", "s3://Bad_Bucket/x", "--quiet");
        var bucket = s3.NewBucket();
        var noCredentials = CliProcess.RunWith(new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "",
            ["AWS_SECRET_ACCESS_KEY"] = "",
            ["AWS_SHARED_CREDENTIALS_FILE"] = temp.Combine("none"),
            ["AWS_CONFIG_FILE"] = temp.Combine("none"),
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            // Whatever else of the chain the machine running the tests has (a CI runner's role, a container's).
            ["AWS_SESSION_TOKEN"] = "",
            ["AWS_PROFILE"] = "",
            ["AWS_ROLE_ARN"] = "",
            ["AWS_WEB_IDENTITY_TOKEN_FILE"] = "",
            ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "",
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "",
        }, ["convert", input, "-o", $"s3://{bucket}/out", "--quiet", .. s3.Options]);
        var emptyPrefix = Run("convert", $"s3://{bucket}/nothing/", "-o", temp.Combine("out"), "--quiet");

        Assert.Equal(1, noBucket.ExitCode);
        Assert.Contains("s3://no-such-bucket-here/out/: the bucket does not exist", noBucket.Error, StringComparison.Ordinal);
        Assert.Equal(1, noInputBucket.ExitCode);
        Assert.Contains("s3://no-such-bucket-here/videos/: the bucket does not exist", noInputBucket.Error, StringComparison.Ordinal);
        Assert.Equal(1, malformed.ExitCode);
        Assert.Contains("s3://x/videos: 'x' is not a bucket name", malformed.Error, StringComparison.Ordinal);
        Assert.Equal(1, notAwsName.ExitCode);
        Assert.Contains("s3://Bad_Bucket/x/: 'Bad_Bucket' is not a bucket name", notAwsName.Error, StringComparison.Ordinal);
        Assert.Equal(1, noCredentials.ExitCode);
        Assert.Contains("no AWS credentials found", noCredentials.Error, StringComparison.Ordinal);
        Assert.Equal(1, emptyPrefix.ExitCode);
        Assert.Contains($"input not found: s3://{bucket}/nothing/", emptyPrefix.Error, StringComparison.Ordinal);
        Assert.Empty(s3.Keys(bucket));
        Assert.DoesNotContain("   at ", noBucket.Error + noCredentials.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_video_whose_key_is_denied_fails_alone_and_is_named()
    {
        using var temp = new TempDirectory();
        var input = MakeVideos(temp, 4);
        var bucket = s3.NewBucket();
        s3.UploadFolder(input, bucket, "d");
        using var link = new FaultyLink(s3.Endpoint) { DeniedKey = "odd/v1.mp4" };

        var run = CliRunner.Run("convert", $"s3://{bucket}/d/", "-o", temp.Combine("out"), "--frames", "2", "--quiet", "--s3-endpoint", link.Endpoint, "--s3-path-style");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("converted 3 of 4 videos (0 skipped, 1 failed)", run.Output, StringComparison.Ordinal);
        Assert.Contains($"failed s3://{bucket}/d/odd/v1.mp4: cannot download it: access denied", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_listed_object_that_may_not_be_read_fails_alone_and_labels_may_name_objects_by_url()
    {
        using var temp = new TempDirectory();
        var input = MakeVideos(temp, 3);
        var bucket = s3.NewBucket();
        s3.UploadFolder(input, bucket, "d");
        File.WriteAllText(temp.Combine("list.txt"), string.Join("\n", new[] { "even/v0.mp4", "odd/v1.mp4", "even/v2.mp4" }.Select(k => $"s3://{bucket}/d/{k}")) + "\n");
        File.WriteAllText(temp.Combine("labels.csv"), $"video,label\ns3://{bucket}/d/even/v0.mp4,zero\ns3://{bucket}/d/odd/v1.mp4,one\ns3://{bucket}/d/even/v2.mp4,two\n");
        using var link = new FaultyLink(s3.Endpoint) { DeniedKey = "odd/v1.mp4" };

        var run = CliRunner.Run("convert", "--input-list", temp.Combine("list.txt"), "--labels", temp.Combine("labels.csv"), "-o", temp.Combine("out"),
            "--frames", "2", "--quiet", "--s3-endpoint", link.Endpoint, "--s3-path-style");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("converted 2 of 3 videos (0 skipped, 1 failed)", run.Output, StringComparison.Ordinal);
        Assert.Contains($"failed s3://{bucket}/d/odd/v1.mp4: cannot download it: access denied", run.Output, StringComparison.Ordinal);
        var labels = File.ReadAllLines(temp.Combine("out", "videos.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(l => l.GetProperty("status").GetString() == "ok").Select(l => l.GetProperty("label_text").GetString());
        Assert.Equal(["zero", "two"], labels);
    }

    [Fact]
    public void A_dry_run_lists_the_bucket_and_writes_nothing_and_a_left_partial_log_counts_as_a_previous_run()
    {
        using var temp = new TempDirectory();
        var input = MakeVideos(temp, 2);
        var bucket = s3.NewBucket();
        s3.UploadFolder(input, bucket, "d");
        File.WriteAllText(temp.Combine("log"), "{}\n");
        s3.Upload(temp.Combine("log"), bucket, "o/.videos.jsonl.partial");

        var plan = Run("convert", $"s3://{bucket}/d/", "-o", temp.Combine("out"), "--dry-run");
        var refused = Run("convert", $"s3://{bucket}/d/", "-o", $"s3://{bucket}/o", "--frames", "2", "--quiet");
        var overwritten = Run("convert", $"s3://{bucket}/d/", "-o", $"s3://{bucket}/o", "--frames", "2", "--quiet", "--overwrite");

        Assert.True(plan.ExitCode == 0, plan.Error);
        Assert.Contains("even/v0.mp4", plan.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("out")));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("already holds a previous run (.videos.jsonl.partial)", refused.Error, StringComparison.Ordinal);
        Assert.True(overwritten.ExitCode == 0, overwritten.Error);
        Assert.DoesNotContain("o/.videos.jsonl.partial", s3.Keys(bucket));
    }

    [Fact]
    public async Task Sigterm_during_an_upload_exits_143_and_leaves_nothing_under_the_shards_name()
    {
        using var temp = new TempDirectory();
        var input = InterruptibleRun.MakeCorpus(temp, 4, 10);
        var bucket = s3.NewBucket();
        var environment = new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = S3Server.AccessKey, ["AWS_SECRET_ACCESS_KEY"] = S3Server.AccessKey };
        using var link = new FaultyLink(s3.Endpoint) { HoldKey = "videos-00001-of-00002.tfrecord" };
        // The default checkpoint interval (10 s): the manifest that lists the first shard is the one written on SIGTERM.
        using var process = CliProcess.StartWith(environment, [.. InterruptibleRun.Convert(input, $"s3://{bucket}/t"), "--s3-endpoint", link.Endpoint, "--s3-path-style"]);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();

        Assert.True(await Task.WhenAny(link.Holding, Task.Delay(TimeSpan.FromMinutes(2))) == link.Holding, "the run never reached its second upload");
        System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        var stopped = process.WaitForExitAsync();
        Assert.True(await Task.WhenAny(stopped, Task.Delay(TimeSpan.FromSeconds(60))) == stopped, "the run did not stop");

        Assert.Equal(143, process.ExitCode);
        Assert.Contains($"interrupted; the files finished so far are in s3://{bucket}/t", await error, StringComparison.Ordinal);
        var keys = s3.Keys(bucket);
        Assert.Contains("t/videos-00000-of-00002.tfrecord", keys);
        Assert.DoesNotContain("t/videos-00001-of-00002.tfrecord", keys);
        using var manifest = JsonDocument.Parse(s3.Read(bucket, "t/manifest.json"));
        Assert.Equal(["videos-00000-of-00002.tfrecord"], manifest.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        Assert.Equal("", await output);
    }

    [Fact]
    public void An_upload_cut_once_is_retried_and_one_that_keeps_failing_leaves_nothing_under_its_name()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        for (var i = 0; i < 2; i++)
        {
            TestVideo.Create(input, $"big{i}", 12, TestCodec.H264Mp4, 320, 240);
        }

        var bucket = s3.NewBucket();
        string[] options = ["--frames", "all", "--encoding", "raw", "--videos-per-file", "2", "--quiet", "--s3-path-style"];
        using var link = new FaultyLink(s3.Endpoint) { CutKey = "videos-00000-of-00001.tfrecord", CutsLeft = 1 };

        var retried = CliRunner.Run(["convert", input, "-o", $"s3://{bucket}/once", "--s3-endpoint", link.Endpoint, .. options]);
        var retriedCuts = link.Cuts;
        link.CutsLeft = 1000;
        var failedSingle = CliRunner.Run(["convert", input, "-o", $"s3://{bucket}/never", "--s3-endpoint", link.Endpoint, "--s3-retries", "2", .. options]);
        var failedMultipart = CliRunner.Run(["convert", input, "-o", $"s3://{bucket}/parts", "--s3-endpoint", link.Endpoint, "--s3-retries", "1", "--s3-part-size", "5", .. options]);

        Assert.True(retried.ExitCode == 0, retried.Error);
        Assert.Equal(1, retriedCuts);
        var local = CliRunner.Run(["convert", input, "-o", temp.Combine("local"), .. options]);
        Assert.Equal(File.ReadAllBytes(temp.Combine("local", "videos-00000-of-00001.tfrecord")), s3.Read(bucket, "once/videos-00000-of-00001.tfrecord"));
        foreach (var (failed, prefix) in new[] { (failedSingle, "never"), (failedMultipart, "parts") })
        {
            Assert.Equal(1, failed.ExitCode);
            Assert.Contains($"s3://{bucket}/{prefix}/videos-00000-of-00001.tfrecord: network error", failed.Error, StringComparison.Ordinal);
            Assert.DoesNotContain($"{prefix}/videos-00000-of-00001.tfrecord", s3.Keys(bucket, prefix + "/"));
            // The manifest written at the start lists no finished file.
            Assert.DoesNotContain("tfrecord", System.Text.Encoding.UTF8.GetString(s3.Read(bucket, $"{prefix}/manifest.json")), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Overwrite_deletes_only_this_tools_objects_and_without_it_a_previous_run_is_refused()
    {
        using var temp = new TempDirectory();
        var input = MakeVideos(temp, 5);
        var bucket = s3.NewBucket();
        File.WriteAllText(temp.Combine("readme.txt"), "keep me");
        s3.Upload(temp.Combine("readme.txt"), bucket, "o/readme.txt");
        s3.Upload(temp.Combine("readme.txt"), bucket, "o/sub/videos-00000-of-00001.tfrecord");
        string[] options = ["--frames", "3", "--labels-from-folder", "--quiet"];
        Assert.Equal(0, Run(["convert", input, "-o", $"s3://{bucket}/o", "--videos-per-file", "1", .. options]).ExitCode);
        Assert.Contains("o/videos-00004-of-00005.tfrecord", s3.Keys(bucket));

        var refused = Run(["convert", input, "-o", $"s3://{bucket}/o", "--videos-per-file", "2", .. options]);
        var overwritten = Run(["convert", input, "-o", $"s3://{bucket}/o", "--videos-per-file", "2", "--overwrite", .. options]);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"output s3://{bucket}/o/ already holds a previous run (labels.json, manifest.json, videos-00000-of-00005.tfrecord, …); give --overwrite", refused.Error, StringComparison.Ordinal);
        Assert.True(overwritten.ExitCode == 0, overwritten.Error);
        Assert.Equal(
            ["o/labels.json", "o/manifest.json", "o/readme.txt", "o/sub/videos-00000-of-00001.tfrecord",
             "o/videos-00000-of-00003.tfrecord", "o/videos-00001-of-00003.tfrecord", "o/videos-00002-of-00003.tfrecord", "o/videos.jsonl"],
            s3.Keys(bucket));
    }

    [Fact]
    public void Workers_of_one_run_writing_to_a_bucket_and_a_folder_are_not_merged()
    {
        using var temp = new TempDirectory();
        var input = MakeVideos(temp, 4);
        var bucket = s3.NewBucket();
        Assert.Equal(0, Run(["convert", input, "-o", $"s3://{bucket}/mix", "--worker-index", "0", "--worker-count", "2", .. Common]).ExitCode);
        Assert.Equal(0, CliRunner.Run(["convert", input, "-o", temp.Combine("local"), "--worker-index", "1", "--worker-count", "2", .. Common]).ExitCode);

        var missing = Run("merge-manifests", $"s3://{bucket}/mix");
        // Copied up by hand: worker 1's part says it wrote to a folder, so the bucket does not hold its shards.
        foreach (var name in SameRun.Files(temp.Combine("local")).Where(n => n.Contains("worker", StringComparison.Ordinal)))
        {
            s3.Upload(temp.Combine("local", name), bucket, "mix/" + name);
        }

        var mixed = Run("merge-manifests", $"s3://{bucket}/mix");

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains($"worker 1 of 2 has written no manifest in s3://{bucket}/mix/", missing.Error, StringComparison.Ordinal);
        Assert.Equal(1, mixed.ExitCode);
        Assert.Contains($"worker 1 of 2 wrote its files to a local folder, worker 0 to s3://{bucket}/mix/: every worker of a run must write to the same output", mixed.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("mix/manifest.json", s3.Keys(bucket));
    }

    [Fact]
    public async Task A_listing_longer_than_a_page_is_read_to_its_end()
    {
        using var temp = new TempDirectory();
        var bucket = s3.NewBucket();
        File.WriteAllText(temp.Combine("x"), "x");
        var keys = Enumerable.Range(0, 7).Select(i => $"p/{(char)('a' + i)}/f{i}.mp4").Append("p/top.mp4").ToList();
        foreach (var key in keys)
        {
            s3.Upload(temp.Combine("x"), bucket, key);
        }

        using var store = new Video2TfRecord.Storage.StorageOptions { Endpoint = s3.Endpoint, PathStyle = true, ListPageSize = 3 }.Connect();
        var all = await store.ListAsync(new(bucket, "p/"), recursive: true, default);
        var top = await store.ListAsync(new(bucket, "p/"), recursive: false, default);

        Assert.Equal(keys.Order(StringComparer.Ordinal), all.Select(o => o.Location.Key));
        Assert.Equal(["p/top.mp4"], top.Select(o => o.Location.Key));
    }

    [Fact]
    public async Task The_video_cache_shares_a_download_and_evicts_beyond_its_bound()
    {
        using var temp = new TempDirectory();
        var input = MakeVideos(temp, 2);
        var bucket = s3.NewBucket();
        s3.UploadFolder(input, bucket, "c");
        using var link = new FaultyLink(s3.Endpoint);
        using var store = new Video2TfRecord.Storage.StorageOptions { Endpoint = link.Endpoint, PathStyle = true }.Connect();
        var videos = await store.ListAsync(new(bucket, "c/"), recursive: true, default);
        var size = videos[0].Size;
        var gets = link.Gets;

        // One byte short of holding both: the first copy stays alone, and goes when the second is taken.
        using (var cache = new Video2TfRecord.Storage.VideoCache(store, temp.Combine("cache"), maxBytes: size + videos[1].Size - 1))
        {
            using (var a = await cache.AcquireAsync(videos[0], default))
            using (var b = await cache.AcquireAsync(videos[0], default))
            {
                Assert.Equal(a.Path, b.Path);
                Assert.Equal(File.ReadAllBytes(Path.Combine(input, "even", "v0.mp4")), File.ReadAllBytes(a.Path));
            }

            Assert.Equal(gets + 1, link.Gets);
            Assert.Equal(size, cache.BytesOnDisk);
            // The second video does not fit beside the first: the older copy, which nobody holds, goes.
            using (var c = await cache.AcquireAsync(videos[1], default))
            {
                Assert.True(File.Exists(c.Path));
            }

            Assert.Equal(videos[1].Size, cache.BytesOnDisk);
            using (await cache.AcquireAsync(videos[0], default))
            {
            }

            Assert.Equal(gets + 3, link.Gets);
        }

        Assert.False(Directory.Exists(temp.Combine("cache")));

        // A prefetched video is on disk before a worker asks for it, and the worker's request downloads nothing more.
        using (var cache = new Video2TfRecord.Storage.VideoCache(store, temp.Combine("cache"), maxBytes: 1 << 30))
        {
            cache.Prefetch(videos[1]);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (cache.BytesOnDisk == 0 && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(10);
            }

            var before = link.Gets;
            using var lease = await cache.AcquireAsync(videos[1], default);
            Assert.Equal(before, link.Gets);
            Assert.Equal(File.ReadAllBytes(Path.Combine(input, "odd", "v1.mp4")), File.ReadAllBytes(lease.Path));
        }
    }

    // Follows the staging folders under a work folder and keeps the most record files (being written or uploaded) seen at once.
    private sealed class StagingWatch : IDisposable
    {
        private readonly FileSystemWatcher _watcher;
        private readonly HashSet<string> _present = [];
        private readonly Lock _gate = new();

        public StagingWatch(string folder)
        {
            _watcher = new FileSystemWatcher(folder) { IncludeSubdirectories = true, InternalBufferSize = 1 << 16 };
            _watcher.Created += (_, e) => Change(e.FullPath, true);
            _watcher.Deleted += (_, e) => Change(e.FullPath, false);
            _watcher.Renamed += (_, e) =>
            {
                Change(e.OldFullPath, false);
                Change(e.FullPath, true);
            };
            _watcher.EnableRaisingEvents = true;
        }

        public int MostShardsAtOnce { get; private set; }

        public void Dispose() => _watcher.Dispose();

        private void Change(string path, bool present)
        {
            if (!path.Contains("/staging/", StringComparison.Ordinal) || !path.Contains(".tfrecord", StringComparison.Ordinal))
            {
                return;
            }

            lock (_gate)
            {
                if (present)
                {
                    _present.Add(path.Replace(".partial", "", StringComparison.Ordinal).Replace("/.", "/", StringComparison.Ordinal));
                }
                else
                {
                    _present.Remove(path.Replace(".partial", "", StringComparison.Ordinal).Replace("/.", "/", StringComparison.Ordinal));
                }

                MostShardsAtOnce = Math.Max(MostShardsAtOnce, _present.Count);
            }
        }
    }
}
