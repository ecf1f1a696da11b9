using Google.Protobuf;
using OpenCvSharp;
using Video2TfRecord.Flow;
using Video2TfRecord.Frames;
using Video2TfRecord.Records;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Tests.Records;

/// <summary>Each layout reads back what it builds, through <see cref="ParsedRecord"/>, without a video or the CLI.</summary>
public class RecordLayoutTests
{
    [Theory]
    [InlineData(RecordLayout.Example)]
    [InlineData(RecordLayout.Sequence)]
    [InlineData(RecordLayout.Tfds)]
    public void Layout_reads_back_the_record_it_builds(RecordLayout kind)
    {
        var layout = RecordLayouts.For(kind);
        ReadOnlyMemory<byte>[] frames = [Png(10), Png(200)];
        var record = Record(frames, kind == RecordLayout.Tfds ? null : Flow(layout.FlowPacking));

        var parsed = ParsedRecord.Parse(layout.Build(record, labeled: true).ToByteArray());

        Assert.Equal(kind, parsed.Layout);
        Assert.Equal(layout.FlowPacking, parsed.FlowPacking);
        Assert.Equal(("walk/a", "walk/a.mp4"), (parsed.Id, parsed.VideoPath));
        Assert.Equal((4L, 6L, 3L, "PNG", "uint8"), (parsed.Height!.Value, parsed.Width!.Value, parsed.Channels!.Value, parsed.Format, parsed.Dtype));
        Assert.Equal([3L, 9L], parsed.FrameIndices);
        Assert.Equal(frames.Select(f => f.ToArray()), parsed.Images().Select(i => i.ToByteArray()));
        Assert.Equal(2L, parsed.LabelIndex);
        Assert.Equal(kind == RecordLayout.Tfds ? null : "walk", parsed.LabelText);
        var flow = parsed.FlowEntries();
        Assert.Equal(kind == RecordLayout.Tfds ? 0 : 2, flow.Count);
        Assert.Equal(kind == RecordLayout.Tfds ? null : 20f, parsed.FlowBound);
        Assert.Equal(kind == RecordLayout.Tfds ? null : "PNG", parsed.FlowImageFormat);
        Assert.All(flow, entry => Assert.Equal(layout.FlowPacking == FlowPacking.Planes, entry.Second is not null));
    }

    [Theory]
    [InlineData(RecordLayout.Example, TfRecordCompression.Gzip, null, "videos-00002-of-00005.tfrecord.gz")]
    [InlineData(RecordLayout.Sequence, TfRecordCompression.None, null, "videos-00002-of-00005.tfrecord")]
    [InlineData(RecordLayout.Example, TfRecordCompression.None, "val", "videos-val-00002-of-00005.tfrecord")]
    [InlineData(RecordLayout.Sequence, TfRecordCompression.Zlib, "test", "videos-test-00002-of-00005.tfrecord.zz")]
    [InlineData(RecordLayout.Tfds, TfRecordCompression.None, "validation", "videos-validation.tfrecord-00002-of-00005")]
    [InlineData(RecordLayout.Tfds, TfRecordCompression.None, null, "videos-train.tfrecord-00002-of-00005")]
    public void Layout_names_its_files(RecordLayout kind, TfRecordCompression compression, string? split, string expected)
    {
        Assert.Equal(expected, RecordLayouts.For(kind).FileName("videos", split, 2, 5, TfRecordFile.Extension(compression)));
    }

    [Fact]
    public void Tfds_record_without_label_in_a_labeled_dataset_stores_minus_one_and_reads_as_none()
    {
        var record = Record([Png(1)], null) with { LabelIndex = null, LabelText = null };

        var message = RecordLayouts.For(RecordLayout.Tfds).Build(record, labeled: true);
        var parsed = ParsedRecord.Parse(message.ToByteArray());

        Assert.Equal(TfdsLayout.NoLabel, parsed.Int64(TfdsLayout.Label));
        Assert.Null(parsed.LabelIndex);
    }

    private static VideoRecord Record(ReadOnlyMemory<byte>[] frames, FlowImages? flow) => new()
    {
        Id = "walk/a",
        Path = "walk/a.mp4",
        FrameCount = 12,
        Fps = 25,
        FrameIndices = [3, 9],
        TimestampsUs = [120_000, 360_000],
        Images = frames,
        Height = 4,
        Width = 6,
        Channels = 3,
        Encoding = ImageEncoding.Png,
        PixelType = PixelType.UInt8,
        Color = ColorMode.Rgb,
        Flow = flow,
        LabelIndex = 2,
        LabelText = "walk",
    };

    private static FlowImages Flow(FlowPacking packing)
    {
        ReadOnlyMemory<byte>[] images = [Png(128, 1), Png(128, 1)];
        return new FlowImages
        {
            Method = "dis",
            Pairs = FlowPairs.Next,
            Format = FlowFormat.Xy,
            Bound = 20,
            Encoding = ImageEncoding.Png,
            X = packing == FlowPacking.Planes ? images : [],
            Y = packing == FlowPacking.Planes ? images : [],
            Xy = packing == FlowPacking.Color ? [Png(128), Png(128)] : [],
        };
    }

    private static byte[] Png(byte value, int channels = 3)
    {
        using var image = new Mat(4, 6, channels == 3 ? MatType.CV_8UC3 : MatType.CV_8UC1, Scalar.All(value));
        return image.ImEncode(".png");
    }
}
