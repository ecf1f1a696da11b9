using Video2TfRecord.Tests.Fixtures;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Tests.Inspection;

/// <summary>
/// verify proves a whole run (issue 14, points 5 and 8): an output folder is checked against its manifest.json, and a
/// bad record or file does not hide the ones after it.
/// </summary>
public class RunVerificationTests
{
    private static string ConvertRun(TempDirectory temp, int videos = 3)
    {
        var input = temp.CreateFolder("in");
        for (var i = 0; i < videos; i++)
        {
            TestVideo.Create(input, $"v{i}", 6, TestCodec.H264Mp4, 48, 32);
        }

        var output = temp.Combine("out");
        Assert.Equal(0, CliRunner.Run("convert", input, "-o", output, "--frames", "2", "--videos-per-file", "1", "--quiet").ExitCode);
        return output;
    }

    [Fact]
    public void A_whole_run_verifies_against_its_manifest()
    {
        using var temp = new TempDirectory();
        var output = ConvertRun(temp);

        var run = CliRunner.Run("verify", output);

        Assert.Equal(0, run.ExitCode);
        Assert.EndsWith($"ok: {output} (run complete, 3 of 3 files checked against manifest.json)\n", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deleted_a_replaced_and_an_unlisted_shard_fail_verify_each_named()
    {
        using var temp = new TempDirectory();
        var output = ConvertRun(temp);
        var (first, second, third) = (Shard(output, 0), Shard(output, 1), Shard(output, 2));
        File.Delete(second);
        File.Copy(first, third, overwrite: true);
        File.Copy(first, Path.Combine(output, "videos-00005-of-00009.tfrecord"));

        var run = CliRunner.Run("verify", output);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"video2tfrecord: {second}: listed in manifest.json but missing\n", run.Error, StringComparison.Ordinal);
        Assert.Matches($@"video2tfrecord: {third}: (\d+ bytes, but manifest.json says \d+|its SHA-256 differs from manifest.json's: the file was replaced or damaged)\n", run.Error);
        Assert.Contains($"video2tfrecord: {Path.Combine(output, "videos-00005-of-00009.tfrecord")}: a record file manifest.json does not list\n", run.Error, StringComparison.Ordinal);
        Assert.Contains($"FAILED: {output} (run complete, 3 of 3 files checked against manifest.json, 3 problems)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_replaced_by_one_of_the_same_size_is_caught_by_its_sha256()
    {
        using var temp = new TempDirectory();
        var output = ConvertRun(temp, videos: 1);
        var shard = Shard(output, 0, of: 1);
        var bytes = File.ReadAllBytes(shard);
        // Another valid record of the same length: the payload changes, its checksum is made right again.
        var records = RecordFiles.ReadRaw(shard);
        records[0][^1] ^= 1;
        RecordFiles.WriteRaw(shard, records[0]);

        Assert.Equal(bytes.Length, new FileInfo(shard).Length);
        var run = CliRunner.Run("verify", output);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{shard}: its SHA-256 differs from manifest.json's: the file was replaced or damaged", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unfinished_run_fails_verify_saying_so()
    {
        using var temp = new TempDirectory();
        var output = ConvertRun(temp);
        var manifest = File.ReadAllText(Path.Combine(output, "manifest.json"));
        File.WriteAllText(Path.Combine(output, "manifest.json"), manifest.Replace("\"complete\": true", "\"complete\": false", StringComparison.Ordinal));

        var run = CliRunner.Run("verify", output);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{output}: the run is not complete: manifest.json lists 3 of 3 files (--resume continues it)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_reports_every_bad_record_of_a_file_and_reads_on()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        for (var i = 0; i < 3; i++)
        {
            TestVideo.Create(input, $"v{i}", 6, TestCodec.H264Mp4, 48, 32);
        }

        Assert.Equal(0, CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--frames", "2", "--quiet").ExitCode);
        var file = temp.Combine("out", "videos-00000-of-00001.tfrecord");
        var bytes = File.ReadAllBytes(file);
        var records = RecordFiles.ReadRaw(file);
        // Flip one data byte in records 0 and 2: their framing holds, only their data checksums fail.
        var second = TfRecordFile.FramingLength + records[0].Length;
        bytes[TfRecordFile.HeaderLength + 5] ^= 0xFF;
        bytes[second * 1 + TfRecordFile.FramingLength + records[1].Length + TfRecordFile.HeaderLength + 5] ^= 0xFF;
        File.WriteAllBytes(file, bytes);

        var run = CliRunner.Run("verify", file);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{file}: record 0 at byte offset 0: data checksum mismatch", run.Error, StringComparison.Ordinal);
        Assert.Contains($"{file}: record 2 at byte offset {second + TfRecordFile.FramingLength + records[1].Length}: data checksum mismatch", run.Error, StringComparison.Ordinal);
        Assert.Contains($"FAILED: {file} (3 records, 2 images decoded, 2 problems)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_jpeg_that_still_decodes_fails_verify_with_libjpegs_warning()
    {
        using var temp = new TempDirectory();
        var output = ConvertRun(temp, videos: 1);
        var shard = Shard(output, 0, of: 1);
        var example = Video2TfRecord.Protos.Example.Parser.ParseFrom(RecordFiles.ReadRaw(shard)[0]);
        var jpeg = example.Features.Feature["blob/0"].BytesList.Value[0].ToByteArray();
        // Random bytes over part of the entropy-coded data, the record's checksums made right again.
        new Random(3).NextBytes(jpeg.AsSpan(jpeg.Length / 2, Math.Min(200, jpeg.Length / 4)));
        example.Features.Feature["blob/0"].BytesList.Value[0] = Google.Protobuf.ByteString.CopyFrom(jpeg);
        RecordFiles.WriteRaw(shard, Google.Protobuf.MessageExtensions.ToByteArray(example));

        using (var decoded = OpenCvSharp.Cv2.ImDecode(jpeg, OpenCvSharp.ImreadModes.Color))
        {
            Assert.False(decoded.Empty(), "OpenCV alone decodes the damaged image");
        }

        var run = CliRunner.Run("verify", shard);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{shard}: record 0 at byte offset 0: image 0: JPEG data is corrupt (libjpeg: Corrupt JPEG data: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("1 images decoded, 1 problems", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_shows_the_good_files_before_naming_a_bad_one()
    {
        using var temp = new TempDirectory();
        var output = ConvertRun(temp, videos: 1);
        var good = Shard(output, 0, of: 1);
        var bad = temp.Combine("bad.tfrecord");
        File.WriteAllText(bad, "not a record file at all");

        var run = CliRunner.Run("inspect", good, bad);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"{good}: 1 records", run.Output, StringComparison.Ordinal);
        Assert.Contains($"video2tfrecord: {bad}: record 0", run.Error, StringComparison.Ordinal);
    }

    private static string Shard(string output, int shard, int of = 3) => Path.Combine(output, $"videos-{shard:D5}-of-{of:D5}.tfrecord");
}
