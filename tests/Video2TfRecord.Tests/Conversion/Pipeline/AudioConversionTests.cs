using System.Text.Json;
using Video2TfRecord.Audio;
using Video2TfRecord.Records;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Conversion.Pipeline;

/// <summary>
/// <c>--audio</c> end to end on a real mp4 (h264 + AAC) whose audio is a sine that changes frequency every 2 s
/// (300 Hz, then 500, 700, 900, 1100): each record's samples are read back and their frequency, length, level and the
/// moment the frequency changes are checked against the clip's window.
/// </summary>
public class AudioConversionTests
{
    private static readonly int[] Tones = [300, 500, 700, 900, 1100];

    // 10 s: frame i at i·40 ms, and the tone of segment floor(t / 2 s) at amplitude 0.5.
    private static string MakeVideo(TempDirectory temp, string audio = "0.5*sin(2*PI*(300+200*floor(t/2))*t)", string codec = "aac", string name = "a.mp4")
    {
        var silent = TestVideo.Create(temp.CreateFolder("src"), "a", 250, TestCodec.H264Mp4, 64, 48);
        return TestVideo.WithAudio(silent, $"aevalsrc='{audio}':s=44100:d=10", Path.Combine(temp.CreateFolder("in"), name), codec);
    }

    private static List<ParsedRecord> Records(string folder) =>
        Directory.GetFiles(folder, "*.tfrecord").Order(StringComparer.Ordinal).SelectMany(RecordFiles.ReadAll).ToList();

    // The strongest of the tones in samples [start, start + length) of one channel (Goertzel power at each tone).
    private static int Tone(AudioTrack audio, int start, int length, int channel = 0, int[]? tones = null) =>
        (tones ?? Tones).MaxBy(f => Power(audio, start, length, channel, f));

    private static double Power(AudioTrack audio, int start, int length, int channel, double frequency)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / audio.SampleRate);
        double s1 = 0, s2 = 0;
        for (var i = start; i < start + length; i++)
        {
            var s0 = audio.Samples[(i * audio.Channels) + channel] + (coefficient * s1) - s2;
            (s2, s1) = (s1, s0);
        }

        return (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2);
    }

    // Where, in samples from the record's first, the tone changes from `before` to `after` (10 ms steps).
    private static int Change(AudioTrack audio, int before, int after)
    {
        var step = audio.SampleRate / 100;
        for (var at = 0; at + step <= audio.Frames; at += step)
        {
            if (Power(audio, at, step, 0, after) > Power(audio, at, step, 0, before))
            {
                return at;
            }
        }

        return -1;
    }

    [Theory]
    [InlineData("sequence")]
    [InlineData("example")]
    public void Each_clip_holds_the_audio_of_its_window_on_the_frames_clock(string layout)
    {
        using var temp = new TempDirectory();
        MakeVideo(temp);
        var csv = temp.Combine("clips.csv");
        File.WriteAllText(csv, "video,start,end\na.mp4,1,3\na.mp4,4.5,7\n");

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--clips", csv, "--frames", "2", "--audio",
            "--audio-rate", "16000", "--layout", layout);

        Assert.True(run.ExitCode == 0, run.Error);
        var records = Records(temp.Combine("out"));
        var first = records[0].Audio!;
        var second = records[1].Audio!;
        Assert.Equal((16000, 1, 1_000_000L), (first.SampleRate, first.Channels, first.StartUs));
        Assert.Equal(32000, first.Frames);
        Assert.Equal((40000, 4_500_000L), (second.Frames, second.StartUs));
        Assert.All(first.Samples, s => Assert.InRange(s, -1f, 1f));
        Assert.InRange(first.Samples.Max(), 0.4f, 0.56f);

        // [1 s, 3 s): 300 Hz for one second, then 500 Hz; the change lies at 1 s within one video frame (40 ms).
        Assert.Equal((300, 500), (Tone(first, 0, 8000), Tone(first, 20000, 8000)));
        Assert.InRange(Change(first, 300, 500), 16000 - 640, 16000 + 640);
        // [4.5 s, 7 s): 700 Hz to 6 s, then 900 Hz.
        Assert.Equal((700, 900), (Tone(second, 0, 8000), Tone(second, 30000, 8000)));
        Assert.InRange(Change(second, 700, 900), 24000 - 640, 24000 + 640);

        if (layout == "sequence")
        {
            Assert.Equal(16000f, records[0].Float(SequenceLayout.AudioSampleRate));
            Assert.Equal(1L, records[0].Int64(SequenceLayout.AudioChannels));
            Assert.Equal(32000L, records[0].Int64(SequenceLayout.AudioSampleCount));
            Assert.Single(records[0].Lists!.FeatureList[SequenceLayout.AudioFloats].Feature);
            Assert.Equal([1_000_000L], records[0].ListInt64s(SequenceLayout.AudioTimestamp));
        }
        else
        {
            Assert.Equal(32000, records[0].Floats(ExampleLayout.AudioSamples).Count);
            Assert.Equal((16000L, 1L), (records[0].Int64(ExampleLayout.AudioSampleRate), records[0].Int64(ExampleLayout.AudioChannels)));
        }

        var line = JsonDocument.Parse(File.ReadLines(temp.Combine("out", "videos.jsonl")).First()).RootElement;
        Assert.Equal(32000, line.GetProperty("audio_samples").GetInt32());
    }

    [Fact]
    public void Whole_videos_get_their_whole_audio_and_channels_are_interleaved()
    {
        using var temp = new TempDirectory();
        MakeVideo(temp, "0.5*sin(2*PI*300*t)|0.5*sin(2*PI*1100*t)", "pcm_s16le", "a.mkv");

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "2", "--audio", "--audio-rate", "8000",
            "--audio-channels", "2");

        Assert.True(run.ExitCode == 0, run.Error);
        var audio = Records(temp.Combine("out")).Single().Audio!;
        Assert.Equal((8000, 2, 0L), (audio.SampleRate, audio.Channels, audio.StartUs));
        Assert.Equal(80000, audio.Frames);
        Assert.Equal(160000, audio.Samples.Length);
        Assert.Equal(300, Tone(audio, 4000, 4000, channel: 0, tones: [300, 1100]));
        Assert.Equal(1100, Tone(audio, 4000, 4000, channel: 1, tones: [300, 1100]));
    }

    [Fact]
    public void A_video_without_audio_is_written_without_audio_keys_or_skipped_when_audio_is_required()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.CreateFolder("in"), "quiet", 10, TestCodec.H264Mp4, 32, 24);

        var optional = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("optional"), "--frames", "2", "--audio", "optional");
        var required = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("required"), "--frames", "2", "--audio", "required");

        Assert.True(optional.ExitCode == 0, optional.Error);
        var record = Records(temp.Combine("optional")).Single();
        Assert.Null(record.Audio);
        Assert.DoesNotContain(record.Keys(), k => k.Key.StartsWith("audio/", StringComparison.Ordinal));
        var line = JsonDocument.Parse(File.ReadAllText(temp.Combine("optional", "videos.jsonl"))).RootElement;
        Assert.Contains("no audio stream", line.GetProperty("warnings")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(3, required.ExitCode);
        Assert.Contains("it has no audio stream (--audio required)", required.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--decoder", "opencv" }, "--audio needs --decoder ffmpeg: the OpenCV decoder has no audio")]
    [InlineData(new[] { "--layout", "tfds" }, "--audio is stored in the example and sequence layouts")]
    [InlineData(new[] { "--audio-rate", "0" }, "--audio-rate: expected a whole number of samples per second from 1 to 384000, got '0'")]
    [InlineData(new[] { "--audio-channels", "9" }, "--audio-channels: expected a whole number from 1 to 8, got '9'")]
    public void Audio_options_that_cannot_work_are_refused_before_any_work(string[] more, string message)
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.CreateFolder("in"), "a", 3, TestCodec.H264Mp4, 32, 24);

        var run = CliRunner.Run(["convert", temp.Combine("in"), "-o", temp.Combine("out"), "--audio", "optional", .. more]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("out")) && Directory.EnumerateFiles(temp.Combine("out")).Any());
    }
}
