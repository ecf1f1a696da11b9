using OpenCvSharp;
using Video2TfRecord.Frames;
using Video2TfRecord.Tests.Fixtures;
using Video2TfRecord.Video;

namespace Video2TfRecord.Tests.Video;

/// <summary>What both backends promise: counts, indices, times, BGR frames, and the causes of unreadable files.</summary>
public class VideoDecoderTests
{
    public static TheoryData<TestCodec, DecoderBackend> Codecs()
    {
        var data = new TheoryData<TestCodec, DecoderBackend>();
        foreach (var codec in new[] { TestCodec.H264Mp4, TestCodec.Mpeg4Avi, TestCodec.MjpegAvi, TestCodec.Ffv1Mkv, TestCodec.Vp9Webm, TestCodec.Mpeg2Ps })
        {
            foreach (var backend in new[] { DecoderBackend.FFmpeg, DecoderBackend.OpenCV })
            {
                data.Add(codec, backend);
            }
        }

        return data;
    }

    public static TheoryData<DecoderBackend> Backends => [DecoderBackend.FFmpeg, DecoderBackend.OpenCV];

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Packet_count_equals_decoded_count(TestCodec codec, DecoderBackend backend)
    {
        using var temp = new TempDirectory();
        var path = TestVideo.Create(temp.Path, "clip", 37, codec, 64, 48);

        using var decoded = DecodedFrames.Of(DecodedFrames.Decoder(backend), path, []);

        Assert.Equal(37, decoded.Info.FrameCount);
        Assert.Equal(37, decoded.Summary.FrameCount);
    }

    [Theory]
    [InlineData("counter-30f-h264.mp4", DecoderBackend.FFmpeg)]
    [InlineData("counter-30f-mpeg4.avi", DecoderBackend.FFmpeg)]
    [InlineData("counter-30f-h264.mp4", DecoderBackend.OpenCV)]
    [InlineData("counter-30f-mpeg4.avi", DecoderBackend.OpenCV)]
    public void Committed_test_videos_have_30_frames_that_show_their_index(string name, DecoderBackend backend)
    {
        using var decoded = DecodedFrames.Of(DecodedFrames.Decoder(backend), TestVideo.Data(name), [0, 1, 17, 29]);

        Assert.Equal(30, decoded.Info.FrameCount);
        Assert.Equal(30, decoded.Summary.FrameCount);
        Assert.Equal(1_160_000, decoded.Summary.LastTimestampUs);
        Assert.Equal(25, decoded.Info.Fps, 3);
        Assert.Equal([0, 1, 17, 29], decoded.Indices);
        Assert.Equal([0, 1, 17, 29], decoded.Patterns);
        Assert.Equal([0, 40_000, 680_000, 1_160_000], decoded.Frames.Select(f => f.Us));
        Assert.All(decoded.Frames, f => Assert.Equal("RGB", PatternFrames.ReadPatchOrder(f.Frame)));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Decoder_hands_out_bgr_frames_of_the_source_size(DecoderBackend backend)
    {
        using var temp = new TempDirectory();
        var path = TestVideo.Create(temp.Path, "clip", 3, TestCodec.Ffv1Mkv, 90, 60);

        using var decoded = DecodedFrames.Of(DecodedFrames.Decoder(backend), path, [2], FrameResize.None);

        Assert.Equal([(90, 60, 3, MatType.CV_8UC3)], decoded.Frames.Select(f => (f.Frame.Width, f.Frame.Height, f.Frame.Channels(), f.Frame.Type())));
    }

    [Theory]
    [InlineData("empty.mp4", "", "empty", DecoderBackend.FFmpeg)]
    [InlineData("notes.mp4", "this is text, not a video\n", "not a readable video", DecoderBackend.FFmpeg)]
    [InlineData("empty.mp4", "", "empty", DecoderBackend.OpenCV)]
    [InlineData("notes.mp4", "this is text, not a video\n", "not a readable video", DecoderBackend.OpenCV)]
    public void Unreadable_files_raise_a_video_read_exception_naming_the_file(string name, string content, string cause, DecoderBackend backend)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine(name);
        File.WriteAllText(path, content);

        var error = Assert.Throws<VideoReadException>(() => DecodedFrames.Decoder(backend).Open(path, new ImageOptions()).Dispose());

        Assert.Equal(path, error.Path);
        Assert.Contains(cause, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void A_missing_file_is_named(DecoderBackend backend)
    {
        var error = Assert.Throws<VideoReadException>(() => DecodedFrames.Decoder(backend).Open("/nonexistent/clip.mp4", new ImageOptions()).Dispose());

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }
}
