using Video2TfRecord.Conversion.Remote;
using Video2TfRecord.Inspection;
using Video2TfRecord.Storage;
using Video2TfRecord.Tests.Fixtures;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Tests.Storage;

/// <summary>
/// <see cref="LocalCopies"/> called as a library (as the Python package or the service would): a run uploaded to a
/// bucket (s3rver on loopback) is read from its URL, and what is said of the copies is said of the URLs.
/// </summary>
public sealed class LocalCopiesTests(S3Server s3) : IClassFixture<S3Server>
{
    // Three videos, two per file: a run of two record files, 2 + 1 records of 3 frames each.
    private (string Local, string Bucket) UploadRun(TempDirectory temp)
    {
        for (var i = 0; i < 3; i++)
        {
            TestVideo.Create(temp.Combine("in", i % 2 == 0 ? "even" : "odd"), $"v{i}", 5 + i, TestCodec.H264Mp4, 48, 32);
        }

        var local = temp.Combine("run");
        var convert = CliRunner.Run(["convert", temp.Combine("in"), "-o", local, "--frames", "3", "--videos-per-file", "2", "--labels-from-folder", "--quiet"]);
        Assert.True(convert.ExitCode == 0, convert.Error);
        var bucket = s3.NewBucket();
        s3.UploadFolder(local, bucket, "runs/r");
        return (local, bucket);
    }

    private StorageOptions Storage(TempDirectory temp) => new() { Endpoint = s3.Endpoint, PathStyle = true, WorkDirectory = temp.Combine("work") };

    [Fact]
    public async Task A_run_in_a_bucket_verifies_from_its_copies_and_its_files_are_named_by_their_urls()
    {
        using var temp = new TempDirectory();
        var (local, bucket) = UploadRun(temp);

        PathVerification verification;
        string copiedFolder;
        IReadOnlyList<string> urls;
        using (var copies = await LocalCopies.OpenAsync([$"s3://{bucket}/runs/r", temp.Combine("run")], Storage(temp)))
        {
            Assert.True(copies.HasCopies);
            Assert.Equal(local, copies.Paths[1]);
            copiedFolder = copies.Paths[0];
            verification = PathVerifier.Verify(copiedFolder);
            urls = verification.Files.Select(f => copies.OfUrls(f.Path)).ToList();
            // The copies are this tool's files of the prefix, byte for byte.
            Assert.Equal(File.ReadAllBytes(Path.Combine(local, "videos-00000-of-00002.tfrecord")),
                File.ReadAllBytes(Path.Combine(copiedFolder, "videos-00000-of-00002.tfrecord")));
        }

        Assert.Equal([$"s3://{bucket}/runs/r/videos-00000-of-00002.tfrecord", $"s3://{bucket}/runs/r/videos-00001-of-00002.tfrecord"], urls);
        Assert.Equal([2L, 1L], verification.Files.Select(f => f.Records));
        Assert.Equal([6L, 3L], verification.Files.Select(f => f.Images));
        Assert.All(verification.Files, f => Assert.Empty(f.Problems));
        var run = Assert.IsType<RunVerification>(verification.Run);
        Assert.True(run.Complete);
        Assert.Equal((2, 2), (run.ListedFiles, run.Shards));
        Assert.Empty(run.Problems);
        // Disposed: the copies are gone from the work folder.
        Assert.False(Directory.Exists(copiedFolder));
    }

    [Fact]
    public async Task A_reader_run_on_copies_writes_of_the_urls_publishes_an_index_beside_the_object_and_says_a_failure_of_its_url()
    {
        using var temp = new TempDirectory();
        var (_, bucket) = UploadRun(temp);
        s3.Upload(temp.Combine("in", "even", "v0.mp4"), bucket, "bad/videos-00000-of-00001.tfrecord");
        var shard = $"s3://{bucket}/runs/r/videos-00000-of-00002.tfrecord";
        using var output = new StringWriter();
        using var error = new StringWriter();

        var result = await LocalCopies.RunAsync([shard, $"s3://{bucket}/bad/videos-00000-of-00001.tfrecord"], Storage(temp), output, error,
            async (copies, output, error) =>
            {
                var records = TfRecordIndex.Write(copies.Paths[0]);
                await copies.PublishAsync(TfRecordIndex.PathFor(copies.Paths[0]));
                await output.WriteLineAsync($"{copies.Paths[0]}: {records} records");
                RecordFileInspector.Inspect(copies.Paths[1]);
                return 0;
            },
            (e, error) => e is TfRecordFormatException ? Said(e, error) : null);

        Assert.Equal(7, result);
        Assert.Equal($"{shard}: 2 records\n", output.ToString().ReplaceLineEndings("\n"));
        Assert.StartsWith($"failed: s3://{bucket}/bad/videos-00000-of-00001.tfrecord", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(temp.Combine("work"), output.ToString() + error.ToString(), StringComparison.Ordinal);
        var index = System.Text.Encoding.ASCII.GetString(s3.Read(bucket, "runs/r/videos-00000-of-00002.tfrecord.idx")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, index.Length);
        Assert.Equal("0", index[0].Split(' ')[0]);
    }

    private static async Task<int> Said(Exception e, TextWriter error)
    {
        await error.WriteLineAsync($"failed: {e.Message}");
        return 7;
    }
}
