using Video2TfRecord.Frames;
using Video2TfRecord.Tests.Fixtures;
using Video2TfRecord.Video;

namespace Video2TfRecord.Tests.Video;

/// <summary>
/// Where a video's clock starts, read through <see cref="IVideoSource"/>: the FFmpeg backend gives the first shown
/// frame's time on the container's clock, the OpenCV backend does not know that clock.
/// </summary>
public class ClockOriginTests
{
    [Theory]
    [InlineData(TestCodec.H264Mp4)]
    [InlineData(TestCodec.Mpeg2TsAt10s)]
    public void The_ffmpeg_backend_gives_the_first_frames_time_on_the_containers_clock(TestCodec codec)
    {
        using var temp = new TempDirectory();
        var path = TestVideo.Create(temp.Path, "clip", 12, codec, 64, 48);
        var expected = DecodedFrames.FfprobeFirstFrameSeconds(path);

        using IVideoSource video = new FFmpegDecoder(1).Open(path, new ImageOptions());

        Assert.Equal(expected, video.ClockOriginSeconds!.Value, precision: 6);
        Assert.Equal(codec == TestCodec.Mpeg2TsAt10s, video.ClockOriginSeconds >= 10);
    }

    [Fact]
    public void The_ffmpeg_backend_gives_the_first_frames_time_when_another_clip_counted_the_video()
    {
        using var temp = new TempDirectory();
        var path = TestVideo.Create(temp.Path, "clip", 12, TestCodec.Mpeg2TsAt10s, 64, 48);
        var decoder = new FFmpegDecoder(1);
        double? first;
        using (var video = decoder.Open(path, new ImageOptions()))
        {
            first = video.ClockOriginSeconds;
        }

        using var again = decoder.Open(path, new ImageOptions());

        Assert.Equal(DecodedFrames.FfprobeFirstFrameSeconds(path), again.ClockOriginSeconds!.Value, precision: 6);
        Assert.Equal(first, again.ClockOriginSeconds);
    }

    [Fact]
    public void The_opencv_backend_does_not_know_the_containers_clock()
    {
        using var temp = new TempDirectory();
        var path = TestVideo.Create(temp.Path, "clip", 12, TestCodec.Mpeg2TsAt10s, 64, 48);

        using var video = OpenCvDecoder.Instance.Open(path, new ImageOptions());

        Assert.Null(video.ClockOriginSeconds);
    }
}
