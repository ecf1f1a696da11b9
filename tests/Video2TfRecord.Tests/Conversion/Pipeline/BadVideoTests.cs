using System.Text;
using System.Text.Json;
using Video2TfRecord.Records;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Conversion.Pipeline;

/// <summary>Videos that cannot be read, or read only in part: each named in one line with its cause, the rest still converted (exit 3).</summary>
public class BadVideoTests
{
    [Fact]
    public void Unreadable_videos_are_skipped_named_and_the_rest_converted_with_exit_3()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        TestVideo.Create(input, "a-good", 6, TestCodec.MjpegAvi, 32, 24);
        File.WriteAllBytes(Path.Combine(input, "b-empty.mp4"), []);
        File.WriteAllText(Path.Combine(input, "c-text.mp4"), "not a video at all\n");
        TestVideo.Create(input, "d-good", 6, TestCodec.Mpeg4Avi, 32, 24);

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--frames", "2");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"{Path.Combine(input, "b-empty.mp4")}: the file is empty", run.Error, StringComparison.Ordinal);
        Assert.Contains($"{Path.Combine(input, "c-text.mp4")}: not a readable video", run.Error, StringComparison.Ordinal);
        Assert.Contains("not written (2)", run.Output, StringComparison.Ordinal);
        var ids = RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")).Select(r => r.Id);
        Assert.Equal(["a-good", "d-good"], ids);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_video_keeps_the_frames_that_decode_and_warns()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        var path = TestVideo.Create(input, "cut", 40, TestCodec.MjpegAvi, 64, 48);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--frames", "4");

        Assert.True(run.ExitCode == 0, run.Error);
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        var total = record.Int64(Video2TfRecord.Records.ExampleLayout.VideoFrameCount)!.Value;
        Assert.InRange(total, 10, 30);
        var expected = Enumerable.Range(0, 4).Select(i => (2 * i + 1) * total / 8).ToArray();
        Assert.Equal(expected, record.FrameIndices);
        Assert.Equal(expected.Select(i => (int)i), RecordFiles.StoredPatternIndices(record));
    }

    [Theory]
    [InlineData("ffmpeg")]
    [InlineData("opencv")]
    public void A_cut_mp4_is_counted_by_the_frames_that_decode_and_warns(string decoder)
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        var source = TestVideo.Create(temp.Path, "source", 60, TestCodec.H264Mp4, 320, 240);
        // The index first (as streaming sites serve mp4), so a cut file still opens and lists packets it no longer holds.
        var path = Path.Combine(input, "cut.mp4");
        ExternalProgram.Run("ffmpeg", ["-v", "error", "-i", source, "-c", "copy", "-movflags", "+faststart", path]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length * 6 / 10)]);
        var decodable = DecodedFrames.FfprobeFrameCount(path);

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--frames", "4", "--decoder", decoder, "--quiet");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Matches($@"{path}: the stream has \d+ packets but decodes to \d+ frames \(truncated or damaged", run.Error);
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        var patterns = RecordFiles.StoredPatternIndices(record);
        Assert.Equal(patterns.Order(), patterns);
        Assert.InRange(decodable, 10, 50);
        if (decoder == "ffmpeg")
        {
            // The frames that decode, as ffprobe counts them (the OpenCV backend's count differs by a frame or two).
            Assert.Equal(decodable, record.Int64(Video2TfRecord.Records.ExampleLayout.VideoFrameCount));
        }
    }

    [Fact]
    public void A_video_without_read_permission_is_skipped_naming_the_cause()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        TestVideo.Create(input, "a-open", 3, TestCodec.MjpegAvi, 32, 24);
        var locked = TestVideo.Create(input, "b-locked", 3, TestCodec.MjpegAvi, 32, 24);
        File.SetUnixFileMode(locked, UnixFileMode.None);
        foreach (var folder in new[] { temp.Path, input, temp.CreateFolder("out") })
        {
            CliProcess.OpenToAll(folder);
        }

        CliProcess.OpenToAll(Path.Combine(input, "a-open.avi"));
        var run = CliProcess.RunAsNobody("convert", input, "-o", temp.Combine("out"), "--frames", "1");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"{locked}: permission denied", run.Error, StringComparison.Ordinal);
        Assert.Equal(["a-open"], RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")).Select(r => r.Id));
    }

    private const string NotReadable = "not a readable video: no video stream, or a container or codec the decoder does not know";

    [Fact]
    public void An_audio_only_file_is_listed_as_not_a_readable_video_and_the_rest_converted_with_exit_3()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        TestVideo.Create(input, "a-good", 6, TestCodec.H264Mp4, 48, 32);
        var audio = Path.Combine(input, "b-audio.mp4");
        Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", audio);

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--frames", "3");

        Assert.Equal(3, run.ExitCode);
        AssertListedOnce(run, "failed", audio, NotReadable);
        AssertOnlyGoodVideoWritten(temp);
    }

    [Theory]
    [InlineData("ffmpeg")]
    [InlineData("opencv")]
    public void Still_images_renamed_as_videos_are_listed_as_not_a_video_and_the_rest_converted_with_exit_3(string decoder)
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        TestVideo.Create(input, "a-good", 6, TestCodec.H264Mp4, 48, 32);
        var png = Path.Combine(input, "b-photo.mp4");
        var jpeg = Path.Combine(input, "c-photo.mov");
        Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x48", "-frames:v", "1", "-f", "image2", "-c:v", "png", png);
        Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x48", "-frames:v", "1", "-f", "image2", "-c:v", "mjpeg", jpeg);

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--frames", "3", "--decoder", decoder);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"video2tfrecord: failed {png}: a still image (PNG), not a video\n", run.Error, StringComparison.Ordinal);
        Assert.Contains($"video2tfrecord: failed {jpeg}: a still image (JPEG), not a video\n", run.Error, StringComparison.Ordinal);
        Assert.Contains("not written (2):", run.Output, StringComparison.Ordinal);
        AssertOnlyGoodVideoWritten(temp);
    }

    [Fact]
    public void A_video_in_a_codec_the_decoder_lacks_is_listed_and_the_rest_converted_with_exit_3()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        TestVideo.Create(input, "a-good", 6, TestCodec.H264Mp4, 48, 32);
        var unknown = TestVideo.Create(input, "b-unknown-codec", 6, TestCodec.Mpeg4Avi, 48, 32);
        RenameAviCodec(unknown, "FMP4", "ZZZZ");

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--frames", "3");

        Assert.Equal(3, run.ExitCode);
        AssertListedOnce(run, "failed", unknown, NotReadable);
        AssertOnlyGoodVideoWritten(temp);
    }

    [Fact]
    public void Names_with_spaces_and_non_ascii_letters_keep_their_exact_relative_path_in_utf8()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        var source = TestVideo.Create(Path.Combine(input, "my videos"), "clip ü 日本", 6, TestCodec.H264Mp4, 48, 32);

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--frames", "3");

        Assert.True(run.ExitCode == 0, run.Error);
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        Assert.Equal(Encoding.UTF8.GetBytes("my videos/clip ü 日本"), StoredBytes(record, ExampleLayout.VideoId));
        Assert.Equal(Encoding.UTF8.GetBytes("my videos/clip ü 日本.mp4"), StoredBytes(record, ExampleLayout.VideoPath));
        Assert.Equal(new[] { 1, 3, 5 }, RecordFiles.StoredPatternIndices(record));
        var line = JsonDocument.Parse(Assert.Single(File.ReadAllLines(temp.Combine("out", "videos.jsonl")))).RootElement;
        Assert.Equal("my videos/clip ü 日本", line.GetProperty("id").GetString());
        Assert.Equal("my videos/clip ü 日本.mp4", line.GetProperty("path").GetString());
        Assert.Equal(source, line.GetProperty("source").GetString());
        Assert.Equal("ok", line.GetProperty("status").GetString());
    }

    private static void AssertListedOnce(CliRunner.Outcome run, string status, string path, string reason)
    {
        var line = $"video2tfrecord: {status} {path}: {reason}";
        Assert.Single(run.Error.Split('\n'), l => l.Contains(path, StringComparison.Ordinal));
        Assert.Contains(line + "\n", run.Error, StringComparison.Ordinal);
        Assert.Contains($"not written (1):\n  {status} {path}: {reason}\n", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    private static void AssertOnlyGoodVideoWritten(TempDirectory temp)
    {
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        Assert.Equal("a-good", record.Id);
        Assert.Equal(new[] { 1, 3, 5 }, RecordFiles.StoredPatternIndices(record));
    }

    private static byte[] StoredBytes(ParsedRecord record, string key) => record.Features.Feature[key].BytesList.Value[0].ToByteArray();

    // AVI names its codec twice: fccHandler in the video stream header (strh) and biCompression in its format (strf).
    private static void RenameAviCodec(string path, string from, string to)
    {
        var bytes = File.ReadAllBytes(path);
        var strh = bytes.AsSpan().IndexOf("strh"u8);
        var strf = bytes.AsSpan().IndexOf("strf"u8);
        Assert.True(strh > 0 && strf > strh, "no AVI stream header");
        Assert.Equal("vids", Encoding.ASCII.GetString(bytes, strh + 8, 4));
        foreach (var at in new[] { strh + 12, strf + 24 })
        {
            Assert.Equal(from, Encoding.ASCII.GetString(bytes, at, 4));
            Encoding.ASCII.GetBytes(to).CopyTo(bytes, at);
        }

        File.WriteAllBytes(path, bytes);
    }

    private static void Ffmpeg(params string[] args) => ExternalProgram.Run("ffmpeg", ["-v", "error", "-y", .. args]);
}
