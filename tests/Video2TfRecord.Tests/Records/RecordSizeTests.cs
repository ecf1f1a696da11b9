using System.Buffers;
using Video2TfRecord.Frames;
using Video2TfRecord.Records;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Records;

/// <summary>
/// Record sizes past 2 GiB are refused in 64-bit arithmetic before protobuf's 32-bit size could wrap (issue 14, point 2).
/// The images here claim gigabytes without holding them.
/// </summary>
public class RecordSizeTests
{
    [Fact]
    public void Gigabytes_of_images_are_refused_without_asking_protobuf()
    {
        var record = Record([1L << 30, 1L << 30, 1L << 30]);
        var asked = false;

        var refusal = RecordSize.Refusal(record, 1L << 30, () => { asked = true; return 0; }, out _);

        Assert.Equal("its record would be at least 3221225472 bytes, more than --max-record-bytes 1073741824; store fewer or smaller frames", refusal);
        Assert.False(asked);
    }

    [Fact]
    public void A_record_whose_framing_passes_2_GiB_is_refused_even_under_the_highest_limit()
    {
        var images = Enumerable.Repeat(((long)int.MaxValue - 1000) / 4, 4).ToArray();
        var asked = false;

        var refusal = RecordSize.Refusal(Record(images), int.MaxValue, () => { asked = true; return 0; }, out _);

        Assert.StartsWith("its record would be about ", refusal, StringComparison.Ordinal);
        Assert.EndsWith("bytes, more than protobuf's limit of 2147483647; store fewer or smaller frames", refusal, StringComparison.Ordinal);
        Assert.False(asked);
    }

    [Fact]
    public void A_small_record_gets_its_exact_size_from_protobuf()
    {
        var refusal = RecordSize.Refusal(Record([100, 200]), 1000, () => 420, out var size);

        Assert.Null(refusal);
        Assert.Equal(420, size);
        Assert.Equal("its record would be 420 bytes, more than --max-record-bytes 400; store fewer or smaller frames",
            RecordSize.Refusal(Record([100, 200]), 400, () => 420, out _));
    }

    [Fact]
    public void The_bound_covers_the_real_size_of_a_built_record()
    {
        var images = Enumerable.Range(0, 40).Select(i => (long)(i * 37 % 500 + 1)).ToArray();
        var record = Record(images, real: true) with { LabelIndex = 3, LabelText = "jumping jacks" };

        var (payload, bound) = RecordSize.Of(record);
        var real = ExampleLayout.Instance.Build(record, labeled: true).CalculateSize();

        Assert.InRange(real, payload, bound);
        Assert.InRange(SequenceLayout.Instance.Build(record, labeled: true).CalculateSize(), payload, bound);
    }

    [Fact]
    public void A_max_record_bytes_of_2_GiB_or_more_is_refused_at_the_command_line()
    {
        using var temp = new TempDirectory();

        var run = CliRunner.Run("convert", Repository.Combine("examples"), "-o", temp.Combine("out"), "--max-record-bytes", "3000000000");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("video2tfrecord: --max-record-bytes: expected a whole number of bytes from 1 to 2147483647, got '3000000000'", run.Error.Split('\n')[0]);
    }

    [Fact]
    public void A_video_whose_record_is_too_large_is_skipped_with_its_size_and_the_rest_written()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        TestVideo.Create(input, "big", 10, TestCodec.H264Mp4, 640, 480);
        TestVideo.Create(input, "small", 10, TestCodec.H264Mp4, 32, 24);

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--frames", "4", "--max-record-bytes", "8000", "--quiet");

        Assert.Equal(3, run.ExitCode);
        Assert.Matches(@"big\.mp4: its record would be (at least )?\d+ bytes, more than --max-record-bytes 8000", run.Error);
        Assert.Equal(["small"], RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")).Select(r => r.Id));
    }

    private static VideoRecord Record(long[] imageBytes, bool real = false) => new()
    {
        Id = "a/b",
        Path = "a/b.mp4",
        FrameCount = imageBytes.Length,
        Fps = 25,
        FrameIndices = [.. Enumerable.Range(0, imageBytes.Length)],
        TimestampsUs = [.. Enumerable.Range(0, imageBytes.Length).Select(i => i * 40_000L)],
        Images = [.. imageBytes.Select(n => real ? new byte[n].AsMemory() : new ClaimedBytes((int)Math.Min(n, int.MaxValue)).Memory)],
        Height = 2,
        Width = 2,
        Channels = 3,
        Encoding = ImageEncoding.Jpeg,
        PixelType = PixelType.UInt8,
        Color = ColorMode.Rgb,
    };

    // Memory that reports a length and holds nothing: reading it fails the test.
    private sealed class ClaimedBytes(int length) : MemoryManager<byte>
    {
        public override Memory<byte> Memory => CreateMemory(length);

        public override Span<byte> GetSpan() => throw new InvalidOperationException("the size check read the image bytes");

        public override MemoryHandle Pin(int elementIndex = 0) => throw new InvalidOperationException("the size check pinned the image bytes");

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
