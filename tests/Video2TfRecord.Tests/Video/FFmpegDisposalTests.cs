using Video2TfRecord.Frames;
using Video2TfRecord.Tests.Fixtures;
using Video2TfRecord.Video;

namespace Video2TfRecord.Tests.Video;

/// <summary>
/// A disposed FFmpeg video, or its stream, throws <see cref="ObjectDisposedException"/> where it would otherwise hand
/// freed or null pointers to the native libraries.
/// </summary>
public class FFmpegDisposalTests
{
    public static TheoryData<string> StreamMembers =>
        ["Open", "OpenDecoder", "Rewind", "Seek", "ReadPacket", "ReceiveFrame", "FramePts"];

    [Theory]
    [InlineData(TestCodec.H264Mp4)]
    [InlineData(TestCodec.Mpeg2Ps)]
    public void Decoding_a_disposed_video_throws_ObjectDisposedException(TestCodec codec)
    {
        using var temp = new TempDirectory();
        var path = TestVideo.Create(temp.Path, "clip", 12, codec, 64, 48);
        var video = new FFmpegDecoder(1).Open(path, new ImageOptions());
        video.Decode([0], (_, _, _) => { });

        video.Dispose();

        Assert.Throws<ObjectDisposedException>(() => video.Decode([0, 5], (_, _, _) => { }));
    }

    [Fact]
    public void Decoding_a_video_disposed_before_its_first_decode_throws_ObjectDisposedException()
    {
        using var temp = new TempDirectory();
        var path = TestVideo.Create(temp.Path, "clip", 12, TestCodec.H264Mp4, 64, 48);
        var video = new FFmpegDecoder(1).Open(path, new ImageOptions());

        video.Dispose();
        video.Dispose();

        Assert.Throws<ObjectDisposedException>(() => video.Decode([0], (_, _, _) => { }));
    }

    [Theory]
    [MemberData(nameof(StreamMembers))]
    public void Each_member_of_a_disposed_stream_that_reaches_native_code_throws_ObjectDisposedException(string member)
    {
        using var temp = new TempDirectory();
        var path = TestVideo.Create(temp.Path, "clip", 12, TestCodec.H264Mp4, 64, 48);
        var stream = new FFmpegStream(path, 1);
        stream.OpenDecoder();
        Assert.True(stream.ReceiveFrame());

        stream.Dispose();

        Assert.Throws<ObjectDisposedException>(() => Use(stream, member));
    }

    private static void Use(FFmpegStream stream, string member)
    {
        _ = member switch
        {
            "Open" => Run(stream.Open),
            "OpenDecoder" => Run(stream.OpenDecoder),
            "Rewind" => stream.Rewind(0),
            "Seek" => stream.Seek(0),
            "ReadPacket" => stream.ReadPacket(),
            "ReceiveFrame" => stream.ReceiveFrame(),
            "FramePts" => stream.FramePts > 0,
            _ => throw new ArgumentOutOfRangeException(nameof(member), member, null),
        };
    }

    private static bool Run(Action action)
    {
        action();
        return true;
    }
}
