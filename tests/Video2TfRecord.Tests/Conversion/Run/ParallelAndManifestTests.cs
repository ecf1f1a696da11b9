using System.Security.Cryptography;
using System.Text.Json;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Conversion.Run;

public class ParallelAndManifestTests
{
    private static readonly TestCodec[] Mix = [TestCodec.H264Mp4, TestCodec.Mpeg4Avi, TestCodec.MjpegAvi, TestCodec.Ffv1Mkv];

    // More videos than the reorder window (2 × jobs), with varied lengths so workers finish out of order.
    private static string MakeCorpus(TempDirectory temp, int count = 14)
    {
        var input = temp.CreateFolder("in");
        for (var i = 0; i < count; i++)
        {
            TestVideo.Create(Path.Combine(input, $"class{i % 3}"), $"v{i:D2}", 3 + (i * 7 % 23), Mix[i % Mix.Length], 48, 32);
        }

        File.WriteAllText(Path.Combine(input, "class1", "broken.mp4"), "not a video");
        return input;
    }

    private static Dictionary<string, byte[]> ReadFolder(string folder) =>
        Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f)!, File.ReadAllBytes);

    [Fact]
    public void Output_is_byte_identical_for_any_number_of_jobs()
    {
        using var temp = new TempDirectory();
        var input = MakeCorpus(temp);

        var one = CliRunner.Run("convert", input, "-o", temp.Combine("j1"), "--frames", "5", "--videos-per-file", "4", "--jobs", "1", "--quiet");
        var three = CliRunner.Run("convert", input, "-o", temp.Combine("j3"), "--frames", "5", "--videos-per-file", "4", "--jobs", "3", "--quiet");

        Assert.Equal(3, one.ExitCode);
        Assert.Equal(3, three.ExitCode);
        var a = ReadFolder(temp.Combine("j1"));
        var b = ReadFolder(temp.Combine("j3"));
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        Assert.Equal(6, a.Count); // 4 shards + manifest.json + videos.jsonl
        foreach (var (name, bytes) in a)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(b[name]), $"{name} differs between --jobs 1 and --jobs 3");
        }

        Assert.Equal(one.Error, three.Error);
    }

    [Fact]
    public void Manifest_lists_every_file_with_its_hash_and_the_totals()
    {
        using var temp = new TempDirectory();
        var input = MakeCorpus(temp, count: 5);

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--frames", "2", "--videos-per-file", "2", "--jobs", "2");

        Assert.Equal(3, run.ExitCode);
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(temp.Combine("out", "manifest.json")));
        var root = manifest.RootElement;
        Assert.True(root.GetProperty("complete").GetBoolean());
        Assert.Equal("2", root.GetProperty("options").GetProperty("frames").GetString());
        Assert.False(root.GetProperty("options").TryGetProperty("jobs", out _));
        var files = root.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(3, files.Count);
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(temp.Combine("out", file.GetProperty("name").GetString()!));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.GetProperty("sha256").GetString());
            Assert.Equal(bytes.Length, file.GetProperty("bytes").GetInt64());
        }

        var totals = root.GetProperty("totals");
        Assert.Equal((6, 5, 0, 1, 10), (totals.GetProperty("videos").GetInt32(), totals.GetProperty("written").GetInt32(),
            totals.GetProperty("skipped").GetInt32(), totals.GetProperty("failed").GetInt32(), totals.GetProperty("frames").GetInt32()));
    }

    [Fact]
    public void Videos_jsonl_has_one_line_per_video_in_catalog_order_with_indices_and_reasons()
    {
        using var temp = new TempDirectory();
        var input = MakeCorpus(temp, count: 4);

        CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--frames", "3", "--videos-per-file", "2");

        var lines = File.ReadAllLines(temp.Combine("out", "videos.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["class0/v00.mp4", "class0/v03.mkv", "class1/broken.mp4", "class1/v01.avi", "class2/v02.avi"],
            lines.Select(l => l.GetProperty("path").GetString()));
        var broken = lines[2];
        Assert.Equal("failed", broken.GetProperty("status").GetString());
        Assert.Contains("not a readable video", broken.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, broken.GetProperty("file").ValueKind);
        var first = lines[0];
        Assert.Equal("ok", first.GetProperty("status").GetString());
        Assert.Equal(3, first.GetProperty("frame_count").GetInt32());
        Assert.Equal([0, 1, 2], first.GetProperty("indices").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([0L, 40_000, 80_000], first.GetProperty("timestamps_us").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(120_000, first.GetProperty("duration_us").GetInt64());
        Assert.Equal("videos-00000-of-00003.tfrecord", first.GetProperty("file").GetString());
        Assert.Equal(0, first.GetProperty("record").GetInt32());
        Assert.Equal(Path.Combine(input, "class0", "v00.mp4"), first.GetProperty("source").GetString());
        var v01 = lines[3];
        Assert.Equal(("videos-00001-of-00003.tfrecord", 0), (v01.GetProperty("file").GetString(), v01.GetProperty("record").GetInt32()));
    }
}
