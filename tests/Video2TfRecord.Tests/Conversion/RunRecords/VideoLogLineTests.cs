using System.Text.Json;
using Video2TfRecord.Conversion;
using Video2TfRecord.Conversion.RunRecords;

namespace Video2TfRecord.Tests.Conversion.RunRecords;

public class VideoLogLineTests
{
    private const string Line =
        """{"id":"walk/a","path":"walk/a.mp4","source":"/data/walk/a.mp4","status":"ok","reason":null,"label_index":2,"label_text":"walk","frame_count":40,"header_frame_count":41,"fps":25,"duration_us":1600000,"indices":[5,15],"timestamps_us":[200000,600000],"shard":1,"file":"videos-00001-of-00002.tfrecord","record":0,"warnings":[]}""";

    private const string ClipLine =
        """{"id":"walk/a_001000_003500","path":"walk/a.mp4","source":"/data/walk/a.mp4","status":"ok","reason":null,"label_index":2,"label_text":"walk","frame_count":400,"header_frame_count":400,"fps":25,"duration_us":16000000,"indices":[30,60],"timestamps_us":[1200000,2400000],"shard":0,"file":"videos-train-00000-of-00001.tfrecord","record":3,"source_id":"walk/a","clip_row":7,"clip_start_us":1000000,"clip_end_us":3500000,"caption":"a man walks","split":"train","audio_samples":120000,"warnings":["clipped"]}""";

    [Fact]
    public void Log_line_reads_every_key_in_its_documented_form()
    {
        var line = VideoLogLine.Parse(Line);

        Assert.Equal(("walk/a", "walk/a.mp4", VideoStatus.Ok, 2L, "walk"), (line.Id, line.Path, line.StatusValue, line.LabelIndex, line.LabelText));
        Assert.Equal((40, 41, 25.0, 1_600_000L), (line.FrameCount, line.HeaderFrameCount, line.Fps, line.DurationUs));
        Assert.Equal([5, 15], line.Indices);
        Assert.Equal([200_000L, 600_000L], line.TimestampsUs);
        Assert.Equal((1, "videos-00001-of-00002.tfrecord", 0L), (line.Shard, line.File, line.Record));
    }

    [Theory]
    [InlineData(Line)]
    [InlineData(ClipLine)]
    public void Log_line_written_reads_back_to_the_same_bytes(string text)
    {
        var line = VideoLogLine.Parse(text);

        Assert.Equal(text, JsonSerializer.Serialize(line, VideoLogJson.Default.VideoLogLine));
    }

    [Fact]
    public void Clip_line_reads_its_window_row_caption_split_and_audio()
    {
        var line = VideoLogLine.Parse(ClipLine);

        Assert.Equal(("walk/a", 7L, 1_000_000L, 3_500_000L), (line.SourceId, line.ClipRow, line.ClipStartUs, line.ClipEndUs));
        Assert.Equal(("a man walks", "train", 120_000), (line.Caption, line.Split, line.AudioSamples));
        Assert.Equal(["clipped"], line.Warnings);
    }

    [Theory]
    [InlineData("""{"id":"walk/a","path":"walk/a.mp4","sta""")] // cut off by a kill
    [InlineData("""{"id":"walk/a","path":"walk/a.mp4"}""")] // not a whole line of ours
    public void Cut_or_foreign_line_is_refused(string text)
    {
        Assert.ThrowsAny<JsonException>(() => VideoLogLine.Parse(text));
    }
}
