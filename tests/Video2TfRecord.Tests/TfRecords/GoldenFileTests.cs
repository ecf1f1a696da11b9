using Video2TfRecord.Records;
using Video2TfRecord.Tests.Fixtures;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Tests.TfRecords;

/// <summary>
/// Files written by an independent implementation (tests/data/golden/make_golden.py: CRC-32C and framing in plain
/// Python, the Example serialized by Debian's python3-protobuf) must read exactly.
/// </summary>
public class GoldenFileTests
{
    [Theory]
    [InlineData("golden.tfrecord", TfRecordCompression.None)]
    [InlineData("golden.tfrecord.gz", TfRecordCompression.Gzip)]
    [InlineData("golden.tfrecord.zz", TfRecordCompression.Zlib)]
    public void Golden_files_from_an_independent_writer_read_exactly(string name, TfRecordCompression compression)
    {
        var path = TestVideo.Data(Path.Combine("golden", name));

        Assert.Equal(compression, TfRecordFile.DetectCompression(path));
        var records = RecordFiles.ReadRaw(path);

        Assert.Equal(4, records.Count);
        Assert.Equal("hello"u8.ToArray(), records[0]);
        Assert.Empty(records[1]);
        Assert.Equal(Enumerable.Range(0, 70000).Select(i => (byte)(i % 251)).ToArray(), records[2]);
        Assert.Equal(File.ReadAllBytes(TestVideo.Data(Path.Combine("golden", "example.pb"))), records[3]);
    }

    [Fact]
    public void Our_writer_reproduces_the_golden_bytes()
    {
        var records = RecordFiles.ReadRaw(TestVideo.Data(Path.Combine("golden", "golden.tfrecord")));

        var written = TfRecordRoundTripTests.Write(TfRecordCompression.None, records);

        Assert.Equal(File.ReadAllBytes(TestVideo.Data(Path.Combine("golden", "golden.tfrecord"))), written);
    }

    [Fact]
    public void Example_serialized_by_python_protobuf_parses_with_our_protos()
    {
        var record = ParsedRecord.Parse(File.ReadAllBytes(TestVideo.Data(Path.Combine("golden", "example.pb"))));

        Assert.Equal(RecordLayout.Example, record.Layout);
        Assert.Equal(2, record.Height);
        Assert.Equal(3, record.Width);
        Assert.Equal(1, record.Channels);
        Assert.Equal(29.97f, record.Float(ExampleLayout.VideoFps));
        Assert.Equal(new long[] { 0, 5, -1, 1L << 40 }, record.FrameIndices);
        Assert.Equal("dir/clip ü", record.Id);
        Assert.Equal("\0\u0001\u0002golden"u8.ToArray(), record.Images()[0].ToByteArray());
    }
}
