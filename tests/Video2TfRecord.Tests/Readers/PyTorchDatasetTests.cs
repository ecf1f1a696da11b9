using System.Text.Json;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Readers;

/// <summary>
/// examples/pytorch_dataset.py, run by Debian's python3 with python3-torch: the frames it returns are the source
/// frames (read back from their drawn index bits), in RGB order, with the right shape, type and label.
/// </summary>
public class PyTorchDatasetTests
{
    private static JsonElement ReadWithTorch(string folder, string mode)
    {
        var run = CliProcess.RunProgram("/usr/bin/python3", Repository.Combine("tests", "python", "torch_reader_check.py"), folder, mode);
        Assert.True(run.ExitCode == 0, run.Error);
        return JsonDocument.Parse(run.Output).RootElement;
    }

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    [Theory]
    [InlineData("random", "example", "jpeg", "none", "uint8", "rgb")]
    [InlineData("stream", "sequence", "png", "gzip", "uint8", "rgb")]
    [InlineData("stream", "example", "raw", "zlib", "uint16", "rgb")]
    [InlineData("random", "example", "png", "none", "uint16", "gray")]
    [InlineData("random", "sequence", "jpeg", "none", "uint8", "gray")]
    public void Dataset_returns_the_source_frames_in_rgb_with_labels(string mode, string layout, string encoding, string compression, string dtype, string color)
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in", "jump"), "a", 20, TestCodec.H264Mp4, 64, 48);
        TestVideo.Create(temp.Combine("in", "walk"), "b", 31, TestCodec.Mpeg4Avi, 64, 48);
        TestVideo.Create(temp.Combine("in", "walk"), "c", 12, TestCodec.H264Mp4, 64, 48);
        var convert = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "3", "--videos-per-file", "2",
            "--labels-from-folder", "--layout", layout, "--encoding", encoding, "--compression", compression, "--dtype", dtype, "--color", color,
            "--size", "48x32", mode == "random" ? "--index" : "--quiet");
        Assert.True(convert.ExitCode == 0, convert.Error);

        var result = ReadWithTorch(temp.Combine("out"), mode);

        var items = result.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["jump/a", "walk/b", "walk/c"], items.Select(i => i.GetProperty("id").GetString()));
        Assert.Equal([0, 1, 1], items.Select(i => i.GetProperty("label").GetInt32()));
        Assert.Equal(["jump", "walk", "walk"], items.Select(i => i.GetProperty("label_text").GetString()));
        var expected = new[] { new[] { 3, 10, 16 }, [5, 15, 25], [2, 6, 10] }; // centered: floor((2i+1)T/6)
        var channels = color == "rgb" ? 3 : 1;
        for (var v = 0; v < items.Count; v++)
        {
            var item = items[v];
            Assert.Equal([3, 32, 48, channels], Ints(item.GetProperty("shape")));
            Assert.Equal(dtype == "uint16" ? "int32" : "uint8", item.GetProperty("dtype").GetString());
            Assert.Equal(expected[v], Ints(item.GetProperty("frame_indices")));
            Assert.Equal(expected[v], Ints(item.GetProperty("pattern")));
            Assert.Equal(3, item.GetProperty("timestamps").GetInt32());
            Assert.All(item.GetProperty("patches").EnumerateArray(), p => Assert.Equal(channels == 3 ? "RGB" : "", p.GetString()));
            // 16-bit samples are the 8-bit value × 257, so white reaches 65535, not 255.
            Assert.InRange(item.GetProperty("max").GetInt32(), dtype == "uint16" ? 64000 : 250, dtype == "uint16" ? 65535 : 255);
        }

        Assert.Equal([2, 3, 32, 48, channels], Ints(result.GetProperty("batch_shape")));
        Assert.Equal(["jump/a", "walk/b"], result.GetProperty("batch_ids").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Dataset_reads_16_bit_color_png_with_its_16_bit_samples()
    {
        // Pillow reduces 16-bit color PNGs to 8 bits: the package decodes them itself.
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "a", 10, TestCodec.H264Mp4, 64, 48);
        Assert.Equal(0, CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "2", "--encoding", "png", "--dtype", "uint16").ExitCode);

        var item = ReadWithTorch(temp.Combine("out"), "stream").GetProperty("items")[0];

        Assert.Equal("int32", item.GetProperty("dtype").GetString());
        Assert.Equal([2, 7], Ints(item.GetProperty("pattern")));
        Assert.All(item.GetProperty("patches").EnumerateArray(), p => Assert.Equal("RGB", p.GetString()));
        Assert.InRange(item.GetProperty("max").GetInt32(), 64000, 65535);
    }

    [Theory]
    [InlineData("example")]
    [InlineData("sequence")]
    public void Dataset_returns_clips_with_their_caption_window_and_audio(string layout)
    {
        using var temp = new TempDirectory();
        var silent = TestVideo.Create(temp.CreateFolder("src"), "a", 100, TestCodec.H264Mp4, 64, 48);
        TestVideo.WithAudio(silent, "aevalsrc='0.5*sin(2*PI*(400+400*floor(t/2))*t)':s=44100:d=4", Path.Combine(temp.CreateFolder("in"), "a.mp4"));
        File.WriteAllText(temp.Combine("clips.csv"), "video,start,end,caption\na,0.5,1.5,a low tone\na,2.5,3.5,\"a high tone, ünïcode\"\n");
        var convert = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--clips", temp.Combine("clips.csv"), "--frames", "3",
            "--audio", "--audio-rate", "16000", "--layout", layout, "--index");
        Assert.True(convert.ExitCode == 0, convert.Error);

        var items = ReadWithTorch(temp.Combine("out"), "random").GetProperty("items").EnumerateArray().ToList();

        Assert.Equal(["a_000500_001500", "a_002500_003500"], items.Select(i => i.GetProperty("id").GetString()));
        Assert.Equal(["a low tone", "a high tone, ünïcode"], items.Select(i => i.GetProperty("caption").GetString()));
        Assert.All(items, i => Assert.Equal("a", i.GetProperty("source_id").GetString()));
        Assert.Equal([500_000, 1_500_000], Ints(items[0].GetProperty("clip_us")));
        Assert.Equal([16000, 1], Ints(items[1].GetProperty("audio_shape")));
        Assert.Equal(2_500_000, items[1].GetProperty("audio_start_us").GetInt32());
        Assert.InRange(items[0].GetProperty("tone").GetDouble(), 399, 401);
        Assert.InRange(items[1].GetProperty("tone").GetDouble(), 799, 801);
        Assert.Equal([17, 25, 33], Ints(items[0].GetProperty("pattern"))); // [0.5 s, 1.5 s) is frames 13..37: 13 + floor((2i+1)·25/6)
    }
}
