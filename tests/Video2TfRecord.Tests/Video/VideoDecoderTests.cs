using OpenCvSharp;
using Video2TfRecord.Tests.Fixtures;
using Video2TfRecord.Video;

namespace Video2TfRecord.Tests.Video;

public class VideoDecoderTests
{
    public static TheoryData<TestCodec> Codecs => [TestCodec.H264Mp4, TestCodec.Mpeg4Avi, TestCodec.MjpegAvi, TestCodec.Ffv1Mkv, TestCodec.Vp9Webm, TestCodec.Mpeg2Ps];

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Packet_count_equals_decoded_count(TestCodec codec)
    {
        using var temp = new TempDirectory();
        var path = TestVideo.Create(temp.Path, "clip", 37, codec, 64, 48);

        var info = VideoDecoder.Probe(path);
        var decoded = VideoDecoder.Decode(path, [], (_, _, _) => { });

        Assert.Equal(37, info.FrameCount);
        Assert.Equal(37, decoded.FrameCount);
    }

    [Theory]
    [InlineData("counter-30f-h264.mp4")]
    [InlineData("counter-30f-mpeg4.avi")]
    public void Committed_test_videos_have_30_frames_that_show_their_index(string name)
    {
        var path = TestVideo.Data(name);
        var seen = new List<(int Index, int Pattern, long Us, string Patches)>();

        var info = VideoDecoder.Probe(path);
        var decoded = VideoDecoder.Decode(path, [0, 1, 17, 29], (index, us, frame) =>
            seen.Add((index, PatternFrames.ReadIndex(frame), us, PatternFrames.ReadPatchOrder(frame))));

        Assert.Equal(30, info.FrameCount);
        Assert.Equal(30, decoded.FrameCount);
        Assert.Equal(1_160_000, decoded.LastTimestampUs);
        Assert.Equal(25, info.Fps, 3);
        Assert.Equal(new[] { 0, 1, 17, 29 }, seen.Select(s => s.Index));
        Assert.Equal(new[] { 0, 1, 17, 29 }, seen.Select(s => s.Pattern));
        Assert.Equal(new long[] { 0, 40_000, 680_000, 1_160_000 }, seen.Select(s => s.Us));
        Assert.All(seen, s => Assert.Equal("RGB", s.Patches));
    }

    [Fact]
    public void Decoder_hands_out_bgr_frames_of_the_source_size()
    {
        using var temp = new TempDirectory();
        var path = TestVideo.Create(temp.Path, "clip", 3, TestCodec.Ffv1Mkv, 90, 60);
        var sizes = new List<(int W, int H, int C, MatType T)>();

        VideoDecoder.Decode(path, [2], (_, _, frame) => sizes.Add((frame.Width, frame.Height, frame.Channels(), frame.Type())));

        Assert.Equal([(90, 60, 3, MatType.CV_8UC3)], sizes);
    }

    [Theory]
    [InlineData("empty.mp4", "", "empty")]
    [InlineData("notes.mp4", "this is text, not a video\n", "not a readable video")]
    public void Unreadable_files_raise_a_video_read_exception_naming_the_file(string name, string content, string cause)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine(name);
        File.WriteAllText(path, content);

        var error = Assert.Throws<VideoReadException>(() => VideoDecoder.Probe(path));

        Assert.Equal(path, error.Path);
        Assert.Contains(cause, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var error = Assert.Throws<VideoReadException>(() => VideoDecoder.Probe("/nonexistent/clip.mp4"));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }
}
