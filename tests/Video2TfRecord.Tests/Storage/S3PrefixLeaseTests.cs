using System.Text.Json;
using Amazon.S3.Model;
using Video2TfRecord.Conversion;
using Video2TfRecord.Options;
using Video2TfRecord.Storage;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Storage;

/// <summary>
/// Two runs into one <c>s3://</c> prefix at once (issue 23): the second is refused naming the first, a killed run's claim
/// is taken over, and a run whose claim another took stops before its next upload. Against s3rver, which ignores
/// conditional writes: the best-effort path the docs describe.
/// </summary>
public sealed class S3PrefixLeaseTests(S3Server s3) : IClassFixture<S3Server>
{
    private const string Lease = ".video2tfrecord-lease.json";

    private CliRunner.Outcome Run(params string[] args) => CliRunner.Run([.. args, .. s3.Options]);

    [Fact]
    public async Task A_second_run_into_a_prefix_being_written_is_refused_naming_the_first_and_a_killed_runs_claim_is_taken_over()
    {
        using var temp = new TempDirectory();
        var input = InterruptibleRun.MakeCorpus(temp, 6, 40);
        var bucket = s3.NewBucket();
        var output = $"s3://{bucket}/shared";
        var environment = new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = S3Server.AccessKey, ["AWS_SECRET_ACCESS_KEY"] = S3Server.AccessKey };

        CliRunner.Outcome second, overwrite;
        string firstRun;
        int firstPid;
        // The first run is held on its second shard's upload: it has claimed the prefix and uploaded its first shard.
        using (var link = new FaultyLink(s3.Endpoint) { HoldKey = "videos-00001-of-00003.tfrecord" })
        using (var process = CliProcess.StartWith(environment, [.. InterruptibleRun.Convert(input, output), "--s3-checkpoint", "0", "--s3-endpoint", link.Endpoint, "--s3-path-style"]))
        {
            var ended = Task.Run(process.WaitForExit);
            Assert.True(await Task.WhenAny(link.Holding, ended, Task.Delay(TimeSpan.FromMinutes(3))) == link.Holding, "the first run never reached its second upload");
            var claim = JsonDocument.Parse(s3.Read(bucket, $"shared/{Lease}")).RootElement;
            (firstRun, firstPid) = (claim.GetProperty("run").GetString()!, claim.GetProperty("pid").GetInt32());

            second = Run(InterruptibleRun.Convert(input, output));
            overwrite = Run(InterruptibleRun.Convert(input, output, "--overwrite"));
            Assert.Equal(process.Id, firstPid);
            process.Kill(entireProcessTree: true);
            await ended;
        }

        var first = await s3.Client.GetObjectMetadataAsync(bucket, "shared/videos-00000-of-00003.tfrecord");
        // The first run's process is gone from this host: its claim is stale at once, and --resume takes it over.
        var resumed = Run([.. InterruptibleRun.Convert(input, output), "--resume"]);

        Assert.Equal(1, second.ExitCode);
        Assert.Contains($"s3://{bucket}/shared/: another run is writing this output (run {firstRun} on {Environment.MachineName}, process {firstPid}, started ", second.Error, StringComparison.Ordinal);
        Assert.Contains($"delete s3://{bucket}/shared/{Lease}", second.Error, StringComparison.Ordinal);
        Assert.Equal(1, overwrite.ExitCode);
        Assert.Contains($"another run is writing this output (run {firstRun} ", overwrite.Error, StringComparison.Ordinal);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        // The refused runs deleted and uploaded nothing: the first run's shard is the one it uploaded.
        var kept = await s3.Client.GetObjectMetadataAsync(bucket, "shared/videos-00000-of-00003.tfrecord");
        Assert.Equal(first.ETag, kept.ETag);
        Assert.Equal(first.LastModified, kept.LastModified);
        // A finished run gives its claim up.
        Assert.DoesNotContain($"shared/{Lease}", s3.Keys(bucket));
        Assert.Contains("shared/videos-00002-of-00003.tfrecord", s3.Keys(bucket));
    }

    [Fact]
    public async Task A_run_whose_claim_another_run_took_stops_before_its_next_upload_and_leaves_the_others_claim()
    {
        using var temp = new TempDirectory();
        for (var i = 0; i < 3; i++)
        {
            TestVideo.Create(temp.Combine("in"), $"v{i}", 8, TestCodec.H264Mp4, 48, 32);
        }

        var bucket = s3.NewBucket();
        var words = new OptionWords().Add("output", $"s3://{bucket}/taken").Add("frames", "2").Add("videos-per-file", "1").Add("jobs", "1")
            .Add("s3-endpoint", s3.Endpoint).Add("s3-path-style").Add("s3-checkpoint", "0");
        var options = ConvertOptionTable.Build([temp.Combine("in")], words, new OptionContext(Environment.GetEnvironmentVariable, TextReader.Null, 2));
        var other = $$"""{"run":"0123456789abcdef","host":"elsewhere","pid":4242,"started":"{{DateTime.UtcNow:O}}","renewed":"{{DateTime.UtcNow:O}}"}""";
        var taken = false;
        // After the first video, another run's claim replaces this run's, as a store without conditional writes allows.
        var progress = new Reporter(p =>
        {
            if (p.VideosDone == 1 && !taken)
            {
                taken = true;
                s3.Client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"taken/{Lease}", ContentBody = other, UseChunkEncoding = false }).GetAwaiter().GetResult();
            }
        });

        var error = await Assert.ThrowsAsync<StorageException>(() => VideoConverter.ConvertAsync(options, progress, CancellationToken.None));

        Assert.True(taken);
        Assert.Contains("lost its claim on the output, run 0123456789abcdef on elsewhere (process 4242) holds it now: it stops before it uploads again", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("taken/videos-00002-of-00003.tfrecord", s3.Keys(bucket));
        Assert.Equal(other, System.Text.Encoding.UTF8.GetString(s3.Read(bucket, $"taken/{Lease}")));
    }

    private sealed class Reporter(Action<ConversionProgress> report) : IProgress<ConversionProgress>
    {
        public void Report(ConversionProgress value) => report(value);
    }
}
