using System.Buffers.Binary;
using System.IO.Compression;

namespace Video2TfRecord.TfRecords;

/// <summary>
/// Writes TFRecord framing to a stream: for every record a little-endian uint64 length, the masked CRC-32C of
/// those 8 bytes, the data, and the masked CRC-32C of the data. Optionally the whole output is gzip or zlib
/// compressed, as TensorFlow's <c>TFRecordWriter</c> does with <c>compression_type</c>.
/// </summary>
/// <remarks>
/// Not thread-safe. Disposing finishes the compressed stream and, unless <c>leaveOpen</c> was given,
/// disposes the underlying stream. Dispose is idempotent.
/// </remarks>
public sealed class TfRecordWriter : IDisposable, IAsyncDisposable
{
    private const int HeaderLength = TfRecordFile.HeaderLength;
    private const int FooterLength = TfRecordFile.FooterLength;

    private readonly Stream _target;
    private readonly Stream _output;
    private readonly bool _leaveOpen;
    // Header and footer are staged here so the async path needs no stackalloc; one per writer, reused.
    private readonly byte[] _frame = new byte[HeaderLength + FooterLength];
    private bool _disposed;

    /// <summary>Creates a writer over <paramref name="stream"/>, which must be writable.</summary>
    /// <param name="stream">Where the records go; written sequentially, never sought.</param>
    /// <param name="compression">Compression of the whole stream.</param>
    /// <param name="leaveOpen">Whether <paramref name="stream"/> stays open after this writer is disposed.</param>
    public TfRecordWriter(Stream stream, TfRecordCompression compression = TfRecordCompression.None, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream must be writable.", nameof(stream));
        }

        _target = stream;
        _leaveOpen = leaveOpen;
        _output = compression switch
        {
            TfRecordCompression.None => stream,
            TfRecordCompression.Gzip => new GZipStream(stream, CompressionLevel.Optimal, leaveOpen: true),
            TfRecordCompression.Zlib => new ZLibStream(stream, CompressionLevel.Optimal, leaveOpen: true),
            _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "Unknown compression."),
        };
        Compression = compression;
    }

    /// <summary>The compression this writer applies.</summary>
    public TfRecordCompression Compression { get; }

    /// <summary>Records written so far.</summary>
    public long RecordCount { get; private set; }

    /// <summary>Uncompressed bytes written so far, framing included; the offset the next record starts at.</summary>
    public long Position { get; private set; }

    /// <summary>The number of bytes one record of <paramref name="dataLength"/> bytes takes, framing included.</summary>
    public static long FramedLength(long dataLength) => dataLength + TfRecordFile.FramingLength;

    /// <summary>Appends one record.</summary>
    public void Write(ReadOnlySpan<byte> record)
    {
        PrepareFrame(record);
        _output.Write(_frame, 0, HeaderLength);
        _output.Write(record);
        _output.Write(_frame, HeaderLength, FooterLength);
        Advance(record.Length);
    }

    /// <summary>Appends one record asynchronously.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> record, CancellationToken cancellationToken = default)
    {
        PrepareFrame(record.Span);
        await _output.WriteAsync(_frame.AsMemory(0, HeaderLength), cancellationToken).ConfigureAwait(false);
        await _output.WriteAsync(record, cancellationToken).ConfigureAwait(false);
        await _output.WriteAsync(_frame.AsMemory(HeaderLength, FooterLength), cancellationToken).ConfigureAwait(false);
        Advance(record.Length);
    }

    /// <summary>Flushes buffered bytes to the underlying stream (a compressed stream stays open for more records).</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _output.Flush();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!ReferenceEquals(_output, _target))
        {
            _output.Dispose();
        }

        if (!_leaveOpen)
        {
            _target.Dispose();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!ReferenceEquals(_output, _target))
        {
            await _output.DisposeAsync().ConfigureAwait(false);
        }

        if (!_leaveOpen)
        {
            await _target.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void PrepareFrame(ReadOnlySpan<byte> record)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var header = _frame.AsSpan(0, HeaderLength);
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)record.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], TfRecordCrc.ComputeMasked(header[..8]));
        BinaryPrimitives.WriteUInt32LittleEndian(_frame.AsSpan(HeaderLength), TfRecordCrc.ComputeMasked(record));
    }

    private void Advance(int recordLength)
    {
        RecordCount++;
        Position += FramedLength(recordLength);
    }
}
