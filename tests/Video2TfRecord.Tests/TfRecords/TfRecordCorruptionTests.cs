using System.Buffers.Binary;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Tests.TfRecords;

public class TfRecordCorruptionTests
{
    // Two records: 100 bytes at offset 0, 50 bytes at offset 116.
    private static byte[] TwoRecords() =>
        TfRecordRoundTripTests.Write(TfRecordCompression.None, [new byte[100], Enumerable.Repeat((byte)9, 50).ToArray()]);

    private static TfRecordFormatException ReadExpectingError(byte[] bytes, TfRecordCompression compression = TfRecordCompression.None,
        long? maxRecordLength = null, Stream? stream = null)
    {
        using var reader = new TfRecordReader(stream ?? new MemoryStream(bytes), compression, sourceName: "data.tfrecord",
            maxRecordLength: maxRecordLength);
        return Assert.Throws<TfRecordFormatException>(() =>
        {
            while (reader.TryRead(out _))
            {
            }
        });
    }

    [Fact]
    public void Reader_reports_offset_of_truncated_length()
    {
        var bytes = TwoRecords()[..(116 + 5)];

        var error = ReadExpectingError(bytes);

        Assert.Equal(1, error.RecordNumber);
        Assert.Equal(116, error.Offset);
        Assert.Equal("data.tfrecord", error.FileName);
        Assert.Contains("cut short", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("data.tfrecord: record 1 at byte offset 116:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Reader_reports_truncated_data(bool seekable)
    {
        var bytes = TwoRecords()[..(116 + 12 + 20)];

        var error = ReadExpectingError(bytes, stream: seekable ? new MemoryStream(bytes) : new ChunkedStream(bytes));

        Assert.Equal(1, error.RecordNumber);
        Assert.Equal(116, error.Offset);
        Assert.Contains("holds 50 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("after 20", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_reports_truncated_footer()
    {
        var bytes = TwoRecords()[..^2];

        var error = ReadExpectingError(bytes);

        Assert.Equal(1, error.RecordNumber);
        Assert.Contains("data checksum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_reports_corrupted_length()
    {
        var bytes = TwoRecords();
        bytes[116] ^= 0x01;

        var error = ReadExpectingError(bytes);

        Assert.Equal(1, error.RecordNumber);
        Assert.Equal(116, error.Offset);
        Assert.Contains("length checksum mismatch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_reports_corrupted_data()
    {
        var bytes = TwoRecords();
        bytes[116 + 12 + 10] ^= 0x40;

        var error = ReadExpectingError(bytes);

        Assert.Equal(1, error.RecordNumber);
        Assert.Equal(116, error.Offset);
        Assert.Contains("data checksum mismatch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_rejects_an_absurd_length_even_with_a_valid_checksum()
    {
        var header = LengthHeader(1UL << 40);

        var error = ReadExpectingError(header);

        Assert.Contains("1099511627776 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("the record says it holds 1099511627776 bytes, more than the limit of ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("; the length is corrupted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_honors_a_smaller_record_limit()
    {
        var error = ReadExpectingError(TwoRecords(), maxRecordLength: 64);

        Assert.Equal(0, error.RecordNumber);
        Assert.Contains("limit of 64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_large_claimed_length_on_a_short_pipe_does_not_allocate_what_it_claims()
    {
        // 1.5 GB claimed, 1000 bytes present, through a stream that cannot tell its length.
        var bytes = LengthHeader(1_500_000_000).Concat(new byte[1000]).ToArray();
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = ReadExpectingError(bytes, stream: new ChunkedStream(bytes, maxChunk: 4096));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("after 1000", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 16 << 20, $"allocated {allocated} bytes");
    }

    [Theory]
    [InlineData(TfRecordCompression.Gzip, "gzip")]
    [InlineData(TfRecordCompression.Zlib, "zlib")]
    public void Reading_a_compressed_file_as_plain_says_it_looks_compressed(TfRecordCompression compression, string word)
    {
        var bytes = TfRecordRoundTripTests.Write(compression, [new byte[100]]);

        var error = ReadExpectingError(bytes);

        Assert.Contains($"looks {word}-compressed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupted_gzip_stream_is_reported_with_the_file_name()
    {
        var bytes = TfRecordRoundTripTests.Write(TfRecordCompression.Gzip, [Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray()]);
        for (var i = 20; i < 40; i++)
        {
            bytes[i] ^= 0x5A;
        }

        var error = ReadExpectingError(bytes, TfRecordCompression.Gzip);

        Assert.Equal("data.tfrecord", error.FileName);
    }

    private static byte[] LengthHeader(ulong length)
    {
        var header = new byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, length);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), TfRecordCrc.ComputeMasked(header.AsSpan(0, 8)));
        return header;
    }
}
