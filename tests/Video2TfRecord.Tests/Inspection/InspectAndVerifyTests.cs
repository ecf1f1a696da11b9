using System.Text.Json;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Inspection;

public class InspectAndVerifyTests
{
    private static string Convert(TempDirectory temp, params string[] options)
    {
        TestVideo.Create(temp.Combine("in"), "clip", 20, TestCodec.H264Mp4, 64, 48);
        var run = CliRunner.Run(["convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "3", .. options]);
        Assert.True(run.ExitCode == 0, run.Error);
        return Directory.GetFiles(temp.Combine("out"), "*.tfrecord*").Single();
    }

    [Theory]
    [InlineData("example", "none")]
    [InlineData("sequence", "gzip")]
    public void Inspect_json_reports_layout_shape_and_indices(string layout, string compression)
    {
        using var temp = new TempDirectory();
        var file = Convert(temp, "--layout", layout, "--compression", compression);

        var run = CliRunner.Run("inspect", file, "--json");

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Output);
        var report = json.RootElement.GetProperty("files")[0];
        Assert.Equal(compression, report.GetProperty("compression").GetString());
        var record = report.GetProperty("records")[0];
        Assert.Equal(layout, record.GetProperty("layout").GetString());
        Assert.Equal("clip", record.GetProperty("id").GetString());
        Assert.Equal(3, record.GetProperty("frames").GetInt32());
        Assert.Equal((48, 64, 3), (record.GetProperty("height").GetInt32(), record.GetProperty("width").GetInt32(), record.GetProperty("depth").GetInt32()));
        Assert.Equal(new long[] { 3, 10, 16 }, record.GetProperty("frame_indices").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Contains(record.GetProperty("keys").EnumerateArray(), k => k.GetProperty("key").GetString() == "frames/index");
    }

    [Theory]
    [InlineData("png", "uint16", "gray", "PNG", 1)]
    [InlineData("jpeg", "uint8", "rgb", "JPEG", 3)]
    public void Inspect_reads_a_tfds_records_shape_and_format_from_its_first_frame(string encoding, string dtype, string color, string format, int channels)
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "clip", 20, TestCodec.H264Mp4, 64, 48);
        var convert = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "3", "--layout", "tfds", "--prefix", "clips",
            "--encoding", encoding, "--dtype", dtype, "--color", color, "--quiet");
        Assert.True(convert.ExitCode == 0, convert.Error);

        var run = CliRunner.Run("inspect", temp.Combine("out"), "--json");

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Output);
        var record = json.RootElement.GetProperty("files")[0].GetProperty("records")[0];
        Assert.Equal("tfds", record.GetProperty("layout").GetString());
        Assert.Equal((48, 64, channels), (record.GetProperty("height").GetInt32(), record.GetProperty("width").GetInt32(), record.GetProperty("depth").GetInt32()));
        Assert.Equal((format, dtype), (record.GetProperty("format").GetString(), record.GetProperty("dtype").GetString()));
        Assert.Equal(0, CliRunner.Run("verify", temp.Combine("out")).ExitCode);
    }

    [Fact]
    public void Inspect_table_lists_records_and_keys()
    {
        using var temp = new TempDirectory();
        var file = Convert(temp);

        var run = CliRunner.Run("inspect", temp.Combine("out"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains($"{file}: 1 records", run.Output, StringComparison.Ordinal);
        Assert.Contains("example  clip", run.Output, StringComparison.Ordinal);
        Assert.Contains("3,10,16", run.Output, StringComparison.Ordinal);
        Assert.Contains("blob/0 … blob/2", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_passes_a_good_file()
    {
        using var temp = new TempDirectory();
        var file = Convert(temp, "--layout", "sequence");

        var run = CliRunner.Run("verify", file);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("ok: ", run.Output, StringComparison.Ordinal);
        Assert.Contains("3 images decoded", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_fails_a_flipped_byte_naming_record_and_offset()
    {
        using var temp = new TempDirectory();
        var file = Convert(temp);
        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(file, bytes);

        var run = CliRunner.Run("verify", file);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{file}: record 0 at byte offset 0: data checksum mismatch", run.Error, StringComparison.Ordinal);
        Assert.Contains($"FAILED: {file} (1 records, 0 images decoded, 1 problems)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_fails_an_image_that_does_not_match_its_declared_shape()
    {
        using var temp = new TempDirectory();
        var file = Convert(temp, "--encoding", "raw");
        var records = RecordFiles.ReadRaw(file);
        var example = Video2TfRecord.Protos.Example.Parser.ParseFrom(records[0]);
        example.Features.Feature["width"].Int64List.Value[0] = 65;
        RecordFiles.WriteRaw(file, Google.Protobuf.MessageExtensions.ToByteArray(example));

        var run = CliRunner.Run("verify", file);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("image 0: raw image has 9216 bytes, the declared shape needs 9360", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_of_a_missing_file_exits_1()
    {
        var run = CliRunner.Run("inspect", "/nonexistent/file.tfrecord");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("file not found: /nonexistent/file.tfrecord", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_of_an_output_folder_reports_the_run_and_header_frame_counts_that_lie()
    {
        using var temp = new TempDirectory();
        // MPEG program streams carry a header frame count that undercounts (28 for 30 here).
        TestVideo.Create(temp.Combine("in"), "program", 30, TestCodec.Mpeg2Ps, 64, 48);
        File.WriteAllText(temp.Combine("in", "broken.mp4"), "no video");
        Assert.Equal(3, CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "4").ExitCode);

        var run = CliRunner.Run("inspect", temp.Combine("out"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("1 of 2 videos written, 0 skipped, 1 failed", run.Output, StringComparison.Ordinal);
        Assert.Contains("not written: broken.mp4: failed: not a readable video", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"frame count: program\.mpg: header says \d+ frames, the stream holds 30", run.Output);
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        Assert.Equal(new long[] { 3, 11, 18, 26 }, record.FrameIndices);
        Assert.Equal([3, 11, 18, 26], RecordFiles.StoredPatternIndices(record));
    }
}
