using OpenCvSharp;
using Video2TfRecord.Frames;
using Video2TfRecord.Tests.Fixtures;
using Video2TfRecord.Video;

namespace Video2TfRecord.Tests.Video;

/// <summary>
/// The FFmpeg backend against the OpenCV backend and against ffprobe: the same frame counts, the same source frames at
/// the same times, the same colours, pixels within 35 dB, on every codec and container the tests make.
/// </summary>
public class DecoderBackendTests
{
    // Pixels of the two backends at the source size: the same swscale conversion, so they differ only where OpenCV's
    // bundled FFmpeg (no SIMD) rounds differently; from 10-bit sources its dithering to 8 bits differs (measured 34 dB).
    private const double MinPsnr = 35;
    private const double MinPsnrFrom10Bit = 30;

    public static TheoryData<TestCodec> Codecs =>
    [
        TestCodec.H264Mp4, TestCodec.H264High10Mp4, TestCodec.HevcMp4, TestCodec.Vp9Webm, TestCodec.Mpeg4Avi, TestCodec.MjpegAvi,
        TestCodec.Ffv1Mkv, TestCodec.Ffv1GrayMkv, TestCodec.ProresMov, TestCodec.Mpeg2Ps, TestCodec.Mpeg2TsAt10s,
        TestCodec.H264OpenGopMp4, TestCodec.Mpeg4BFramesAvi,
    ];

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Both_backends_hand_out_the_same_source_frames_at_the_same_times(TestCodec codec)
    {
        using var temp = new TempDirectory();
        var path = TestVideo.Create(temp.Path, "clip", 37, codec, 96, 72);
        int[] wanted = [0, 1, 12, 25, 36];

        using var ffmpeg = DecodedFrames.Of(new FFmpegDecoder(1), path, wanted);
        using var opencv = DecodedFrames.Of(OpenCvDecoder.Instance, path, wanted);

        Assert.Equal(37, DecodedFrames.FfprobeFrameCount(path));
        Assert.Equal((37, 37), (ffmpeg.Info.FrameCount, ffmpeg.Summary.FrameCount));
        Assert.Equal(opencv.Summary.FrameCount, ffmpeg.Summary.FrameCount);
        Assert.Equal(wanted, ffmpeg.Indices);
        Assert.Equal(wanted, ffmpeg.Patterns);
        Assert.Equal(opencv.Indices, ffmpeg.Indices);
        Assert.Equal(opencv.Frames.Select(f => f.Us), ffmpeg.Frames.Select(f => f.Us));
        Assert.Equal(wanted.Select(i => i * 40_000L), ffmpeg.Frames.Select(f => f.Us));
        for (var i = 0; i < wanted.Length; i++)
        {
            Assert.Equal(opencv.Frames[i].Frame.Size(), ffmpeg.Frames[i].Frame.Size());
            Assert.InRange(DecodedFrames.Psnr(opencv.Frames[i].Frame, ffmpeg.Frames[i].Frame), codec == TestCodec.H264High10Mp4 ? MinPsnrFrom10Bit : MinPsnr, double.PositiveInfinity);
            if (codec != TestCodec.Ffv1GrayMkv)
            {
                Assert.Equal("RGB", PatternFrames.ReadPatchOrder(ffmpeg.Frames[i].Frame));
            }
        }
    }

    [Fact]
    public void Av1_decodes_with_ffmpeg_where_the_opencv_backend_decodes_nothing()
    {
        using var temp = new TempDirectory();
        var path = TestVideo.Create(temp.Path, "clip", 20, TestCodec.Av1Mkv, 96, 72);

        using var ffmpeg = DecodedFrames.Of(new FFmpegDecoder(1), path, [0, 9, 19]);
        using var opencv = DecodedFrames.Of(OpenCvDecoder.Instance, path, [0, 9, 19]);

        Assert.Equal(20, ffmpeg.Summary.FrameCount);
        Assert.Equal([0, 9, 19], ffmpeg.Patterns);
        Assert.All(ffmpeg.Frames, f => Assert.Equal("RGB", PatternFrames.ReadPatchOrder(f.Frame)));
        Assert.Equal(0, opencv.Summary.FrameCount);
    }

    [Fact]
    public void An_edit_list_cut_counts_only_the_frames_it_shows()
    {
        using var temp = new TempDirectory();
        var source = TestVideo.Create(temp.Path, "source", 120, TestCodec.H264Mp4, 96, 72);
        var cut = temp.Combine("cut.mp4");
        ExternalProgram.Run("ffmpeg", ["-v", "error", "-ss", "1.5", "-i", source, "-c", "copy", cut]);
        var shown = DecodedFrames.FfprobeFrameCount(cut);

        using var ffmpeg = DecodedFrames.Of(new FFmpegDecoder(1), cut, [0, 1, shown - 1]);

        Assert.InRange(shown, 70, 90);
        Assert.Equal((shown, shown), (ffmpeg.Info.FrameCount, ffmpeg.Summary.FrameCount));
        var first = 120 - shown;
        Assert.Equal([first, first + 1, 119], ffmpeg.Patterns);
        Assert.Equal([0L, 40_000L, (shown - 1) * 40_000L], ffmpeg.Frames.Select(f => f.Us));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Very_short_videos_decode_whole(int frames)
    {
        using var temp = new TempDirectory();
        var path = TestVideo.Create(temp.Path, "clip", frames, TestCodec.H264Mp4, 64, 48);
        var all = Enumerable.Range(0, frames).ToArray();

        using var ffmpeg = DecodedFrames.Of(new FFmpegDecoder(1), path, all);

        Assert.Equal(frames, ffmpeg.Summary.FrameCount);
        Assert.Equal(all, ffmpeg.Patterns);
    }

    [Fact]
    public void Variable_frame_rate_times_are_the_presentation_times()
    {
        using var temp = new TempDirectory();
        // Frames 0–5 every 40 ms, then every 120 ms; h264 with B-frames, so decode order differs from presentation order.
        var path = TestVideo.Create(temp.Path, "vfr", 12, TestCodec.H264Mp4, 64, 48, fps: 25, setpts: "if(lt(N\\,6)\\,N\\,5+(N-5)*3)");

        using var ffmpeg = DecodedFrames.Of(new FFmpegDecoder(1), path, [0, 5, 11]);
        using var opencv = DecodedFrames.Of(OpenCvDecoder.Instance, path, [0, 5, 11]);

        Assert.Equal([0, 5, 11], ffmpeg.Patterns);
        Assert.Equal(opencv.Summary.TimestampsUs, ffmpeg.Summary.TimestampsUs);
        Assert.Equal([0L, 200_000L, 920_000L], ffmpeg.Frames.Select(f => f.Us));
    }

    [Fact]
    public void Rotation_metadata_is_applied_as_the_opencv_backend_applies_it()
    {
        using var temp = new TempDirectory();
        var source = TestVideo.Create(temp.Path, "source", 5, TestCodec.H264Mp4, 96, 64);
        var rotated = temp.Combine("rotated.mp4");
        TestVideo.Rotate(source, rotated, 90);

        using var ffmpeg = DecodedFrames.Of(new FFmpegDecoder(1), rotated, [0, 4]);
        using var opencv = DecodedFrames.Of(OpenCvDecoder.Instance, rotated, [0, 4]);

        Assert.Equal(new Size(64, 96), ffmpeg.Frames[0].Frame.Size());
        Assert.Equal((96, 64), (ffmpeg.Info.Width, ffmpeg.Info.Height));
        for (var i = 0; i < 2; i++)
        {
            Assert.InRange(DecodedFrames.Psnr(opencv.Frames[i].Frame, ffmpeg.Frames[i].Frame), MinPsnr, double.PositiveInfinity);
        }
    }

    [Fact]
    public void Odd_sizes_and_an_audio_track_change_nothing()
    {
        using var temp = new TempDirectory();
        var odd = TestVideo.Create(temp.Path, "odd", 9, TestCodec.Ffv1Mkv, 97, 71);
        var source = TestVideo.Create(temp.Path, "source", 30, TestCodec.H264Mp4, 96, 72);
        var withAudio = temp.Combine("audio.mp4");
        ExternalProgram.Run("ffmpeg", ["-v", "error", "-i", source, "-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:v", "copy", "-c:a", "aac", withAudio]);

        using var oddFrames = DecodedFrames.Of(new FFmpegDecoder(1), odd, [0, 8]);
        using var audioFrames = DecodedFrames.Of(new FFmpegDecoder(1), withAudio, [0, 15, 29]);

        Assert.Equal(new Size(97, 71), oddFrames.Frames[0].Frame.Size());
        Assert.Equal([0, 8], oddFrames.Patterns);
        Assert.Equal(30, audioFrames.Summary.FrameCount);
        Assert.Equal([0, 15, 29], audioFrames.Patterns);
    }

    [Fact]
    public void Frames_come_scaled_to_the_stored_geometry_in_one_conversion()
    {
        using var temp = new TempDirectory();
        var path = TestVideo.Create(temp.Path, "clip", 5, TestCodec.H264Mp4, 320, 240);
        var resize = FrameResize.Create(ResizeMode.Fit, new FrameSize(64, 64), null);

        using var ffmpeg = DecodedFrames.Of(new FFmpegDecoder(1), path, [2], resize);
        using var opencv = DecodedFrames.Of(OpenCvDecoder.Instance, path, [2], resize);

        Assert.Equal(new Size(64, 48), ffmpeg.Frames[0].Frame.Size());
        Assert.Equal(2, PatternFrames.ReadIndex(ffmpeg.Frames[0].Frame));
        Assert.Equal("RGB", PatternFrames.ReadPatchOrder(ffmpeg.Frames[0].Frame));
        // The OpenCV backend hands out the source size and leaves the resize to the transformer.
        Assert.Equal(new Size(320, 240), opencv.Frames[0].Frame.Size());
    }

    [Fact]
    public void Sixteen_bit_samples_from_a_10_bit_source_carry_its_real_bits()
    {
        using var temp = new TempDirectory();
        var deep = TestVideo.Create(temp.Path, "deep", 5, TestCodec.H264High10Mp4, 96, 72);
        var shallow = TestVideo.Create(temp.Path, "shallow", 5, TestCodec.H264Mp4, 96, 72);

        using var ffmpegDeep = DecodedFrames.Of(new FFmpegDecoder(1), deep, [2], pixelType: PixelType.UInt16);
        using var ffmpegShallow = DecodedFrames.Of(new FFmpegDecoder(1), shallow, [2], pixelType: PixelType.UInt16);
        using var ffmpeg8 = DecodedFrames.Of(new FFmpegDecoder(1), deep, [2]);

        var frame = ffmpegDeep.Frames[0].Frame;
        Assert.Equal(MatType.CV_16UC3, frame.Type());
        Assert.Equal(2, PatternFrames.ReadIndex(frame));
        Assert.Equal("RGB", PatternFrames.ReadPatchOrder(frame));
        // 10 bits spread over 16: the gray patch (128 of 255) is near 0x8080, and values fall between multiples of 257.
        Assert.InRange(frame.Get<Vec3w>(frame.Height * 3 / 8, frame.Width / 2).Item0, 31_000, 35_000);
        Assert.Contains(PatternFrames.Samples16(frame), v => v % 257 != 0);
        // An 8-bit source is handed out at 8 bits (the transformer spreads it), and 8 bits are what uint8 asks for.
        Assert.Equal(MatType.CV_8UC3, ffmpegShallow.Frames[0].Frame.Type());
        Assert.Equal(MatType.CV_8UC3, ffmpeg8.Frames[0].Frame.Type());
    }
}
