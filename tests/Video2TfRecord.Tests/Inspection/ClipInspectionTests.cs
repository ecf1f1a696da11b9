using System.Text.Json;
using Google.Protobuf;
using OpenCvSharp;
using Video2TfRecord.Inspection;
using Video2TfRecord.Protos;
using Video2TfRecord.Records;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Inspection;

/// <summary>inspect, verify and preview on clip records with captions, splits and audio.</summary>
public class ClipInspectionTests
{
    // A 4 s video with a 440 Hz tone, cut by a clips CSV into two splits.
    private static string Convert(TempDirectory temp, string layout)
    {
        var silent = TestVideo.Create(temp.CreateFolder("src"), "a", 100, TestCodec.H264Mp4, 64, 48);
        TestVideo.WithAudio(silent, "sine=frequency=440:sample_rate=48000:duration=4", Path.Combine(temp.CreateFolder("in"), "a.mp4"));
        File.WriteAllText(temp.Combine("clips.csv"), "video,start,end,caption,split\na,0,1.5,a long caption that goes on and on about what the video shows in every detail,train\na,2,3,short,test\n");
        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--clips", temp.Combine("clips.csv"), "--frames", "3",
            "--audio", "--audio-rate", "8000", "--layout", layout);
        Assert.True(run.ExitCode == 0, run.Error);
        return temp.Combine("out");
    }

    [Theory]
    [InlineData("example")]
    [InlineData("sequence")]
    public void Inspect_shows_clip_windows_captions_splits_and_audio_length(string layout)
    {
        using var temp = new TempDirectory();
        var output = Convert(temp, layout);

        var table = CliRunner.Run("inspect", output);
        var json = CliRunner.Run("inspect", Path.Combine(output, "videos-train-00000-of-00001.tfrecord"), "--json");

        Assert.True(table.ExitCode == 0, table.Error);
        Assert.Contains("clip of  window", table.Output, StringComparison.Ordinal);
        Assert.Contains("[0 s, 1.5 s)  1.5 s (12000 x 1 at 8000 Hz)", table.Output, StringComparison.Ordinal);
        Assert.Contains("a long caption that goes on and on about what the video sho…", table.Output, StringComparison.Ordinal);
        Assert.Contains("split test: 1 of 1 written, 0 skipped, 0 failed, 3 frames, 1 files", table.Output, StringComparison.Ordinal);
        Assert.Contains("split train: 1 of 1 written", table.Output, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json.Output);
        var record = document.RootElement.GetProperty("files")[0].GetProperty("records")[0];
        Assert.Equal("a_000000_001500", record.GetProperty("id").GetString());
        Assert.Equal("a", record.GetProperty("source_id").GetString());
        Assert.Equal((0, 1_500_000), (record.GetProperty("clip_start_us").GetInt64(), record.GetProperty("clip_end_us").GetInt64()));
        Assert.Equal(12000, record.GetProperty("audio_samples").GetInt32());
        Assert.StartsWith("a long caption", record.GetProperty("caption").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("example")]
    [InlineData("sequence")]
    public void Verify_passes_consistent_audio_and_names_samples_that_do_not_fit_the_clip(string layout)
    {
        using var temp = new TempDirectory();
        var output = Convert(temp, layout);
        Assert.Equal(0, CliRunner.Run("verify", output).ExitCode);

        // The same record with a quarter of its samples cut off: 9000 samples for 1.5 s at 8000 Hz.
        var file = Path.Combine(output, "videos-train-00000-of-00001.tfrecord");
        var bytes = RecordFiles.ReadRaw(file)[0];
        IMessage cut;
        if (layout == "example")
        {
            var example = Example.Parser.ParseFrom(bytes);
            var samples = example.Features.Feature[ExampleLayout.AudioSamples].FloatList.Value;
            var kept = samples.Take(9000).ToList();
            samples.Clear();
            samples.AddRange(kept);
            cut = example;
        }
        else
        {
            var sequence = SequenceExample.Parser.ParseFrom(bytes);
            var samples = sequence.FeatureLists.FeatureList[SequenceLayout.AudioFloats].Feature[0].FloatList.Value;
            var kept = samples.Take(9000).ToList();
            samples.Clear();
            samples.AddRange(kept);
            cut = sequence;
        }

        RecordFiles.WriteRaw(file, cut.ToByteArray());
        var run = CliRunner.Run("verify", file);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("9000 audio samples per channel, but 8000 Hz over 1.5 s is 12000 (more than one frame apart)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Preview_titles_the_sheet_with_the_clip_and_labels_each_tile_with_its_frame_and_time()
    {
        using var temp = new TempDirectory();
        var output = Convert(temp, "sequence");
        var file = Path.Combine(output, "videos-test-00000-of-00001.tfrecord");

        var run = CliRunner.Run("preview", file, "-o", temp.Combine("sheet.png"));
        var (title, tiles) = ContactSheet.Labels(RecordFiles.ReadAll(file)[0], [0, 1, 2]);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("a_002000_003000 [2 s, 3 s) of a", title);
        // [2 s, 3 s) holds frames 50..74: centered, 3 of them.
        Assert.Equal(["0: frame 54 2.16s", "1: frame 62 2.48s", "2: frame 70 2.80s"], tiles);
        // The sheet itself: a PNG of three 64x48 tiles in a 2x2 grid (4 px gaps, a 16 px caption above each tile, a
        // 16 px title band), each tile the stored frame it names, the title band and captions drawn.
        using var png = Cv2.ImRead(temp.Combine("sheet.png"), ImreadModes.Color);
        Assert.Equal((4 + (2 * (64 + 4)), 16 + 4 + (2 * (48 + 16 + 4))), (png.Width, png.Height));
        int[] expected = [54, 62, 70];
        for (var i = 0; i < 3; i++)
        {
            using var tile = new Mat(png, new Rect(4 + (i % 2 * 68), 16 + 4 + (i / 2 * 68) + 16, 64, 48));
            Assert.Equal(expected[i], PatternFrames.ReadIndex(tile));
            Assert.Equal("RGB", PatternFrames.ReadPatchOrder(tile));
        }

        using var band = new Mat(png, new Rect(0, 0, png.Width, 16));
        using var caption = new Mat(png, new Rect(4, 16 + 4, 64, 16));
        Assert.True(Cv2.CountNonZero(band.CvtColor(ColorConversionCodes.BGR2GRAY).Threshold(200, 255, ThresholdTypes.Binary)) > 10, "the title band is empty");
        Assert.True(Cv2.CountNonZero(caption.CvtColor(ColorConversionCodes.BGR2GRAY).Threshold(200, 255, ThresholdTypes.Binary)) > 10, "the first caption is empty");
    }
}
