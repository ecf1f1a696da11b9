using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Tests.TfRecords;

public class TfRecordRoundTripTests
{
    private static readonly byte[][] Payloads =
    [
        [],
        [42],
        Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray(),
        // Larger than the reader's first chunk (1 MiB): exercises buffer growth.
        Enumerable.Range(0, 3_000_001).Select(i => (byte)(i % 253)).ToArray(),
    ];

    public static byte[] Write(TfRecordCompression compression, IEnumerable<byte[]> payloads)
    {
        using var memory = new MemoryStream();
        using (var writer = new TfRecordWriter(memory, compression, leaveOpen: true))
        {
            foreach (var payload in payloads)
            {
                writer.Write(payload);
            }
        }

        return memory.ToArray();
    }

    public static List<byte[]> ReadAll(Stream stream, TfRecordCompression compression)
    {
        var records = new List<byte[]>();
        using var reader = new TfRecordReader(stream, compression);
        while (reader.TryRead(out var record))
        {
            records.Add(record.ToArray());
        }

        return records;
    }

    [Theory]
    [InlineData(TfRecordCompression.None)]
    [InlineData(TfRecordCompression.Gzip)]
    [InlineData(TfRecordCompression.Zlib)]
    public void Records_read_back_exactly_for_every_compression(TfRecordCompression compression)
    {
        var bytes = Write(compression, Payloads);

        var records = ReadAll(new MemoryStream(bytes), compression);

        Assert.Equal(Payloads.Length, records.Count);
        for (var i = 0; i < Payloads.Length; i++)
        {
            Assert.Equal(Payloads[i], records[i]);
        }
    }

    [Theory]
    [InlineData(TfRecordCompression.None)]
    [InlineData(TfRecordCompression.Gzip)]
    [InlineData(TfRecordCompression.Zlib)]
    public void Reader_handles_non_seekable_streams_with_short_reads(TfRecordCompression compression)
    {
        var bytes = Write(compression, Payloads.Take(3));

        var records = ReadAll(new ChunkedStream(bytes, maxChunk: 5), compression);

        Assert.Equal(Payloads.Take(3), records);
    }

    [Fact]
    public void Uncompressed_layout_is_length_crc_data_crc()
    {
        var bytes = Write(TfRecordCompression.None, [[1, 2, 3]]);

        Assert.Equal(12 + 3 + 4, bytes.Length);
        Assert.Equal(3ul, BitConverter.ToUInt64(bytes, 0));
        Assert.Equal(TfRecordCrc.ComputeMasked(bytes.AsSpan(0, 8)), BitConverter.ToUInt32(bytes, 8));
        Assert.Equal(new byte[] { 1, 2, 3 }, bytes[12..15]);
        Assert.Equal(TfRecordCrc.ComputeMasked([1, 2, 3]), BitConverter.ToUInt32(bytes, 15));
    }

    [Fact]
    public async Task Async_writes_produce_the_same_bytes_as_sync_writes()
    {
        using var memory = new MemoryStream();
        await using (var writer = new TfRecordWriter(memory, TfRecordCompression.None, leaveOpen: true))
        {
            foreach (var payload in Payloads)
            {
                await writer.WriteAsync(payload);
            }
        }

        Assert.Equal(Write(TfRecordCompression.None, Payloads), memory.ToArray());
    }

    [Fact]
    public void Writer_reports_count_and_uncompressed_position()
    {
        using var memory = new MemoryStream();
        using var writer = new TfRecordWriter(memory, TfRecordCompression.Gzip, leaveOpen: true);

        writer.Write(new byte[10]);
        writer.Write([]);

        Assert.Equal(2, writer.RecordCount);
        Assert.Equal(16 + 10 + 16, writer.Position);
    }

    [Fact]
    public void Reader_reports_record_offsets()
    {
        var bytes = Write(TfRecordCompression.None, [new byte[10], new byte[5], []]);
        using var reader = new TfRecordReader(new MemoryStream(bytes));
        var offsets = new List<long>();
        while (reader.TryRead(out _))
        {
            offsets.Add(reader.LastRecordOffset);
        }

        Assert.Equal(new long[] { 0, 26, 47 }, offsets);
        Assert.Equal(bytes.Length, reader.Position);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LeaveOpen_decides_whether_the_stream_is_disposed(bool leaveOpen)
    {
        var stream = new ChunkedStream(Write(TfRecordCompression.None, [[1]]));
        using (var reader = new TfRecordReader(stream, leaveOpen: leaveOpen))
        {
            Assert.True(reader.TryRead(out _));
        }

        Assert.Equal(!leaveOpen, stream.Disposed);

        var target = new MemoryStream();
        using (var writer = new TfRecordWriter(target, TfRecordCompression.Gzip, leaveOpen: leaveOpen))
        {
            writer.Write([1]);
        }

        Assert.Equal(leaveOpen, target.CanWrite);
    }

    [Fact]
    public void Dispose_twice_is_harmless()
    {
        var writer = new TfRecordWriter(new MemoryStream(), TfRecordCompression.Zlib);
        writer.Dispose();
        writer.Dispose();
        var reader = new TfRecordReader(new MemoryStream());
        reader.Dispose();
        reader.Dispose();
        Assert.Throws<ObjectDisposedException>(() => writer.Write([1]));
        Assert.Throws<ObjectDisposedException>(() => reader.TryRead(out _));
    }

    [Fact]
    public void Empty_stream_has_no_records()
    {
        Assert.Empty(ReadAll(new MemoryStream(), TfRecordCompression.None));
    }
}
