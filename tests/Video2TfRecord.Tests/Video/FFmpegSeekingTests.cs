using Video2TfRecord.Frames;
using Video2TfRecord.Tests.Fixtures;
using Video2TfRecord.Video;

namespace Video2TfRecord.Tests.Video;

/// <summary>
/// The FFmpeg backend decodes only what is needed: it stops after the last wanted frame, seeks over gaps in containers
/// with a sample index, decodes sequentially elsewhere, and still hands out exactly the frames asked for.
/// </summary>
public class FFmpegSeekingTests
{
    [Fact]
    public void Decoding_stops_after_the_last_wanted_frame()
    {
        using var temp = new TempDirectory();
        var path = TestVideo.Create(temp.Path, "long", 300, TestCodec.H264Mp4, 64, 48);
        using var video = (FFmpegVideo)new FFmpegDecoder(1).Open(path, new ImageOptions());
        var patterns = new List<int>();

        var summary = video.Decode([0, 1, 2, 3], (_, _, frame) => patterns.Add(PatternFrames.ReadIndex(frame)));

        Assert.Equal(300, summary.FrameCount);
        Assert.Equal([0, 1, 2, 3], patterns);
        Assert.InRange(video.FramesDecoded, 4, 20);
    }

    [Theory]
    [InlineData(TestCodec.H264Mp4)]
    [InlineData(TestCodec.H264OpenGopMp4)]
    [InlineData(TestCodec.HevcMp4)]
    [InlineData(TestCodec.Vp9Webm)]
    public void Far_frames_are_reached_by_seeking_to_their_keyframe(TestCodec codec)
    {
        using var temp = new TempDirectory();
        // x264 and x265 put a keyframe every 250 frames (x265's are open-GOP CRA pictures), the open-GOP h264 every 50,
        // libvpx-vp9 every 128 at most: 600 frames hold several.
        var path = TestVideo.Create(temp.Path, "long", 600, codec, 64, 48);
        using var video = (FFmpegVideo)new FFmpegDecoder(1).Open(path, new ImageOptions());
        var seen = new List<(int Index, int Pattern, long Us)>();
        int[] wanted = [3, 520, 599];

        var summary = video.Decode(wanted, (index, us, frame) => seen.Add((index, PatternFrames.ReadIndex(frame), us)));

        Assert.Equal(600, summary.FrameCount);
        Assert.Equal(wanted, seen.Select(s => s.Index));
        Assert.Equal(wanted, seen.Select(s => s.Pattern));
        Assert.Equal(wanted.Select(i => i * 40_000L), seen.Select(s => s.Us));
        Assert.InRange(video.FramesDecoded, 3, 300);
    }

    [Theory]
    [InlineData(TestCodec.Mpeg2Ps)]
    [InlineData(TestCodec.Mpeg2TsAt10s)]
    [InlineData(TestCodec.Mpeg4Avi)]
    public void Containers_without_an_exact_index_are_decoded_in_order_and_still_exact(TestCodec codec)
    {
        using var temp = new TempDirectory();
        var path = TestVideo.Create(temp.Path, "long", 400, codec, 64, 48);
        using var video = (FFmpegVideo)new FFmpegDecoder(1).Open(path, new ImageOptions());
        var seen = new List<(int Index, int Pattern)>();
        int[] wanted = [0, 150, 398];

        var summary = video.Decode(wanted, (index, _, frame) => seen.Add((index, PatternFrames.ReadIndex(frame))));

        Assert.Equal(400, summary.FrameCount);
        Assert.Equal(wanted, seen.Select(s => s.Index));
        Assert.Equal(wanted, seen.Select(s => s.Pattern));
    }

    [Fact]
    public void A_damaged_stream_is_recounted_once_and_sampled_from_the_frames_that_decode()
    {
        using var temp = new TempDirectory();
        var path = TestVideo.Create(temp.Path, "damaged", 250, TestCodec.H264Mp4, 160, 120);
        TestVideo.Damage(path);
        var truth = DecodedFrames.FfprobeFrameCount(path);
        using var video = new FFmpegDecoder(1).Open(path, new ImageOptions());

        var first = video.Decode([0, 124, 249], (_, _, _) => { });
        var indices = new List<int>();
        var again = video.Decode(Enumerable.Range(0, first.FrameCount).ToArray(), (index, _, _) => indices.Add(index));

        Assert.InRange(first.FrameCount, 1, 249);
        Assert.Equal(truth, first.FrameCount);
        Assert.Matches($@"^frames? [0-9–, ]+( and \d+ more runs)? did not decode \({250 - first.FrameCount} of 250\)$", first.Lost);
        Assert.Equal(first.FrameCount, again.FrameCount);
        Assert.Equal(Enumerable.Range(0, first.FrameCount), indices);
    }
}
