using Video2TfRecord.Cli;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Conversion;

/// <summary>Options docs/cli.md documents whose effect no other test looked at: each checked in the files it writes.</summary>
public class DocumentedOptionTests
{
    private static string Input(TempDirectory temp) => Path.GetDirectoryName(TestVideo.Create(temp.Combine("in"), "a", 12, TestCodec.H264Mp4, 64, 48))!;

    // The first value of a JPEG's first quantization table (DQT, marker FF DB), the luminance DC step. libjpeg scales
    // the standard table's 16 by quality q: s = 5000/q below 50, else 200 - 2q; step = (16·s + 50) / 100, at least 1.
    // By hand: q 95 → s 10 → 2; q 50 → s 100 → 16; q 10 → s 500 → 80.
    private static int LuminanceDcStep(ReadOnlySpan<byte> jpeg)
    {
        var at = jpeg.IndexOf([(byte)0xFF, (byte)0xDB]);
        Assert.True(at >= 0, "no quantization table in the JPEG");
        Assert.Equal(0, jpeg[at + 4] >> 4); // 8-bit steps
        return jpeg[at + 5];
    }

    [Theory]
    [InlineData(null, 2)]
    [InlineData("95", 2)]
    [InlineData("50", 16)]
    [InlineData("10", 80)]
    public void Jpeg_quality_sets_the_quantization_of_every_stored_jpeg(string? quality, int step)
    {
        using var temp = new TempDirectory();
        string[] option = quality is null ? [] : ["--jpeg-quality", quality];

        var run = CliRunner.Run(["convert", Input(temp), "-o", temp.Combine("out"), "--frames", "3", "--quiet", .. option]);

        Assert.True(run.ExitCode == 0, run.Error);
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        Assert.Equal("JPEG", record.Format);
        Assert.All(record.Images(), image => Assert.Equal(step, LuminanceDcStep(image.Span)));
        // Whatever the quality, the frames are still the right ones.
        Assert.Equal([2, 6, 10], RecordFiles.StoredPatternIndices(record));
    }

    [Fact]
    public void Flow_encoding_stores_the_flow_in_another_encoding_than_the_frames()
    {
        using var temp = new TempDirectory();

        var run = CliRunner.Run("convert", Input(temp), "-o", temp.Combine("out"), "--frames", "3", "--flow", "dis", "--flow-encoding", "png", "--quiet");
        var same = CliRunner.Run("convert", Input(temp), "-o", temp.Combine("same"), "--frames", "3", "--flow", "dis", "--quiet");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.True(same.ExitCode == 0, same.Error);
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        Assert.Equal(("JPEG", "PNG"), (record.Format, record.FlowImageFormat));
        Assert.All(record.Images(), image => Assert.True(image.Span.StartsWith([(byte)0xFF, (byte)0xD8]), "a frame is not a JPEG"));
        Assert.Equal(3, record.FlowEntries().Count);
        Assert.All(record.FlowEntries(), flow => Assert.True(flow.First.Span.StartsWith([(byte)0x89, (byte)'P', (byte)'N', (byte)'G']), "a flow image is not a PNG"));
        // auto (the default): the flow as the frames.
        var auto = Assert.Single(RecordFiles.ReadAll(temp.Combine("same", "videos-00000-of-00001.tfrecord")));
        Assert.Equal("JPEG", auto.FlowImageFormat);
        Assert.All(auto.FlowEntries(), flow => Assert.True(flow.First.Span.StartsWith([(byte)0xFF, (byte)0xD8]), "a flow image is not a JPEG"));
    }

    [Fact]
    public async Task Verbose_adds_the_stack_trace_to_an_unexpected_error_and_only_then()
    {
        // The real entry point, with a standard output that breaks: an error no handler expects.
        string[] args = ["convert", Repository.Combine("examples"), "-o", "/nonexistent/never-written", "--dry-run"];
        using var quietError = new StringWriter();
        using var verboseError = new StringWriter();

        var quiet = await CliApplication.RunAsync(args, new BrokenWriter(), quietError);
        var verbose = await CliApplication.RunAsync([.. args, "--verbose"], new BrokenWriter(), verboseError);

        Assert.Equal((1, 1), (quiet, verbose));
        Assert.Equal("video2tfrecord: unexpected error: the output broke\n", quietError.ToString());
        var lines = verboseError.ToString().Split('\n');
        Assert.Equal("video2tfrecord: unexpected error: the output broke", lines[0]);
        Assert.Equal($"{typeof(InvalidOperationException).FullName}: the output broke", lines[1]);
        Assert.Contains(lines, line => line.StartsWith("   at ", StringComparison.Ordinal) && line.Contains(nameof(BrokenWriter), StringComparison.Ordinal));
    }

    [Fact]
    public void Resume_regenerates_a_missing_index_of_a_kept_file()
    {
        using var temp = new TempDirectory();
        foreach (var name in new[] { "a", "b", "c" })
        {
            TestVideo.Create(temp.Combine("in"), name, 6, TestCodec.H264Mp4, 48, 32);
        }

        string[] convert = ["convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "2", "--videos-per-file", "1", "--index", "--quiet"];
        Assert.Equal(0, CliRunner.Run(convert).ExitCode);
        var shard = temp.Combine("out", "videos-00001-of-00003.tfrecord");
        var index = File.ReadAllText(shard + ".idx");
        var written = File.GetLastWriteTimeUtc(shard);
        File.Delete(shard + ".idx");

        var resumed = CliRunner.Run([.. convert, "--resume"]);

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(index, File.ReadAllText(shard + ".idx"));
        Assert.Equal(written, File.GetLastWriteTimeUtc(shard)); // kept, not converted again
        // The index is the file's: one "offset length" line, the whole record.
        Assert.Equal($"0 {new FileInfo(shard).Length}\n", index);
    }

    private sealed class BrokenWriter : StringWriter
    {
        public override void Write(char value) => throw new InvalidOperationException("the output broke");

        public override void Write(string? value) => throw new InvalidOperationException("the output broke");

        public override void WriteLine(string? value) => throw new InvalidOperationException("the output broke");

        public override Task WriteAsync(string? value) => throw new InvalidOperationException("the output broke");

        public override Task WriteLineAsync(string? value) => throw new InvalidOperationException("the output broke");
    }
}
