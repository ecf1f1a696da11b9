using Video2TfRecord.Frames;
using Video2TfRecord.Tests.Fixtures;
using Video2TfRecord.Video;

namespace Video2TfRecord.Tests.Video;

/// <summary>The FFmpeg backend counts a video's packets once for all its clips, and again when the file changes.</summary>
public class CountedVideosTests
{
    [Fact]
    public void A_video_opened_again_is_not_counted_again_unless_the_file_changed()
    {
        using var temp = new TempDirectory();
        var path = TestVideo.Create(temp.Path, "a", 30, TestCodec.H264Mp4, 32, 24);
        var decoder = new FFmpegDecoder(1);
        var images = new ImageOptions();

        using (var first = decoder.Open(path, images))
        {
            Assert.Equal(30, first.Info.FrameCount);
        }

        using (var again = (FFmpegVideo)decoder.Open(path, images))
        {
            Assert.Equal(30, again.Info.FrameCount);
            // Decoding a known video opens it afresh and still finds frames by their times.
            var found = new List<(int, long)>();
            again.Decode([0, 29], (index, us, _) => found.Add((index, us)));
            Assert.Equal([(0, 0L), (29, 1_160_000L)], found);
        }

        File.Copy(TestVideo.Create(temp.CreateFolder("other"), "b", 12, TestCodec.H264Mp4, 32, 24), path, overwrite: true);
        using var changed = decoder.Open(path, images);
        Assert.Equal(12, changed.Info.FrameCount);
    }
}
