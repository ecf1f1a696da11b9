using Video2TfRecord.Inspection;
using Video2TfRecord.Tests.Fixtures;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Tests.Inspection;

/// <summary>
/// verify of a path called as a library (issue 20): an output folder gives one typed result per record file and one for
/// the run against its manifest.json.
/// </summary>
public class PathVerifierTests
{
    private static string ConvertRun(TempDirectory temp)
    {
        var input = temp.CreateFolder("in");
        for (var i = 0; i < 3; i++)
        {
            TestVideo.Create(input, $"v{i}", 6, TestCodec.H264Mp4, 48, 32);
        }

        var output = temp.Combine("out");
        var run = CliRunner.Run("convert", input, "-o", output, "--frames", "2", "--videos-per-file", "1", "--quiet");
        Assert.True(run.ExitCode == 0, run.Error);
        return output;
    }

    [Fact]
    public void A_good_output_folder_gives_every_file_and_the_run_ok_reporting_each_file_as_it_goes()
    {
        using var temp = new TempDirectory();
        var output = ConvertRun(temp);
        var reported = new List<VerificationResult>();

        var verification = PathVerifier.Verify(output, reported.Add);

        Assert.True(verification.Ok);
        Assert.Equal(output, verification.Path);
        Assert.Equal([Shard(output, 0), Shard(output, 1), Shard(output, 2)], verification.Files.Select(f => f.Path));
        Assert.All(verification.Files, f => Assert.Equal((1, 2, 0), (f.Records, f.Images, f.Problems.Count)));
        Assert.Equal(verification.Files, reported);
        var run = verification.Run!;
        Assert.Equal((output, true, 3, 3), (run.Folder, run.Complete, run.ListedFiles, run.Shards));
        Assert.Empty(run.Problems);
    }

    [Fact]
    public void A_corrupted_record_file_fails_its_checksum_and_its_sha256_against_the_manifest()
    {
        using var temp = new TempDirectory();
        var output = ConvertRun(temp);
        var damaged = Shard(output, 1);
        var bytes = File.ReadAllBytes(damaged);
        // One data byte of the only record: its framing holds, its data checksum fails, the file keeps its size.
        bytes[TfRecordFile.HeaderLength + 5] ^= 0xFF;
        File.WriteAllBytes(damaged, bytes);

        var verification = PathVerifier.Verify(output);

        Assert.False(verification.Ok);
        Assert.Equal([true, false, true], verification.Files.Select(f => f.Ok));
        var file = verification.Files[1];
        Assert.Equal((damaged, 1, 0), (file.Path, file.Records, file.Images));
        Assert.StartsWith($"{damaged}: record 0 at byte offset 0: data checksum mismatch", Assert.Single(file.Problems), StringComparison.Ordinal);
        var run = verification.Run!;
        Assert.False(run.Ok);
        Assert.Equal([$"{damaged}: its SHA-256 differs from manifest.json's: the file was replaced or damaged"], run.Problems);
    }

    [Fact]
    public void A_missing_record_file_is_named_by_the_run_and_the_others_still_pass()
    {
        using var temp = new TempDirectory();
        var output = ConvertRun(temp);
        var missing = Shard(output, 1);
        File.Delete(missing);

        var verification = PathVerifier.Verify(output);

        Assert.False(verification.Ok);
        Assert.Equal([Shard(output, 0), Shard(output, 2)], verification.Files.Select(f => f.Path));
        Assert.All(verification.Files, f => Assert.True(f.Ok));
        var run = verification.Run!;
        Assert.Equal((true, 3, 3), (run.Complete, run.ListedFiles, run.Shards));
        Assert.Equal([$"{missing}: listed in manifest.json but missing"], run.Problems);
    }

    [Fact]
    public void A_record_file_on_its_own_has_no_run()
    {
        using var temp = new TempDirectory();
        var output = ConvertRun(temp);

        var verification = PathVerifier.Verify(Shard(output, 2));

        Assert.True(verification.Ok);
        Assert.Null(verification.Run);
        Assert.Equal([Shard(output, 2)], verification.Files.Select(f => f.Path));
    }

    private static string Shard(string output, int shard) => Path.Combine(output, $"videos-{shard:D5}-of-00003.tfrecord");
}
