using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace Video2TfRecord.TfRecords;

/// <summary>
/// Reads TFRecord framing from a stream and verifies both checksums of every record.
/// </summary>
/// <remarks>
/// <para>The record handed out by <see cref="TryRead"/> lives in a pooled buffer owned by the reader: it is valid
/// until the next call or until the reader is disposed. Copy it to keep it.</para>
/// <para>A corrupted length never makes the reader allocate what it claims: the length checksum is verified
/// first, the length is capped, and the buffer grows only as data actually arrives.</para>
/// <para>Not thread-safe. Dispose is idempotent and, unless <c>leaveOpen</c> was given, disposes the stream.</para>
/// </remarks>
public sealed class TfRecordReader : IDisposable
{
    /// <summary>The largest record accepted by default: the largest .NET array (protobuf itself stops at 2 GiB).</summary>
    public static readonly long DefaultMaxRecordLength = Array.MaxLength;

    private const int HeaderLength = TfRecordFile.HeaderLength;
    private const int FooterLength = TfRecordFile.FooterLength;
    private const int InitialChunk = 1 << 20;

    private readonly Stream _source;
    private readonly Stream _input;
    private readonly bool _leaveOpen;
    private readonly string? _name;
    private readonly long _maxRecordLength;
    private readonly byte[] _frame = new byte[HeaderLength];
    private readonly StreamTrailer? _trailer;
    private byte[] _buffer = [];
    private bool _disposed;

    /// <summary>Creates a reader over <paramref name="stream"/>, which must be readable; it need not be seekable.</summary>
    /// <param name="stream">The TFRecord bytes, read sequentially from the current position.</param>
    /// <param name="compression">Compression of the whole stream.</param>
    /// <param name="leaveOpen">Whether <paramref name="stream"/> stays open after this reader is disposed.</param>
    /// <param name="sourceName">The file name to put in error messages.</param>
    /// <param name="maxRecordLength">Records claiming more bytes than this are reported as corrupted.</param>
    public TfRecordReader(Stream stream, TfRecordCompression compression = TfRecordCompression.None, bool leaveOpen = false,
        string? sourceName = null, long? maxRecordLength = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream must be readable.", nameof(stream));
        }

        _maxRecordLength = maxRecordLength ?? DefaultMaxRecordLength;
        ArgumentOutOfRangeException.ThrowIfNegative(_maxRecordLength, nameof(maxRecordLength));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(_maxRecordLength, DefaultMaxRecordLength, nameof(maxRecordLength));
        _source = stream;
        _leaveOpen = leaveOpen;
        _name = sourceName;
        Compression = compression;
        _input = compression switch
        {
            TfRecordCompression.None => stream,
            TfRecordCompression.Gzip => new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true),
            TfRecordCompression.Zlib => new ZLibStream(stream, CompressionMode.Decompress, leaveOpen: true),
            _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "Unknown compression."),
        };
        // The trailer is read from the end of the file, so only a seekable stream's is checked.
        _trailer = compression != TfRecordCompression.None && stream.CanSeek ? new StreamTrailer(compression) : null;
    }

    /// <summary>The compression this reader undoes.</summary>
    public TfRecordCompression Compression { get; }

    /// <summary>Records read so far; the 0-based number of the next record.</summary>
    public long RecordCount { get; private set; }

    /// <summary>Offset, in the uncompressed stream, of the next record's first byte.</summary>
    public long Position { get; private set; }

    /// <summary>Offset, in the uncompressed stream, of the record last returned by <see cref="TryRead"/>.</summary>
    public long LastRecordOffset { get; private set; }

    /// <summary>Reads the next record.</summary>
    /// <param name="record">The record's bytes, valid until the next call; empty when the stream has ended.</param>
    /// <returns><see langword="false"/> at a clean end of the stream (between records).</returns>
    /// <exception cref="TfRecordFormatException">The stream is truncated or corrupted at this record.</exception>
    public bool TryRead(out ReadOnlyMemory<byte> record)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        record = ReadOnlyMemory<byte>.Empty;
        var offset = Position;
        var got = Fill(_frame, offset);
        if (got == 0)
        {
            CheckTrailer(offset);
            return false;
        }

        if (got < HeaderLength)
        {
            throw TfRecordFormatException.TruncatedLength(_name, RecordCount, offset, got);
        }

        var length = BinaryPrimitives.ReadUInt64LittleEndian(_frame);
        var storedLengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(_frame.AsSpan(8));
        var lengthCrc = TfRecordCrc.ComputeMasked(_frame.AsSpan(0, 8));
        if (storedLengthCrc != lengthCrc)
        {
            throw TfRecordFormatException.LengthCrcMismatch(_name, RecordCount, offset, storedLengthCrc, lengthCrc, CompressionHint());
        }

        if (length > (ulong)_maxRecordLength)
        {
            throw TfRecordFormatException.LengthTooLarge(_name, RecordCount, offset, length, _maxRecordLength);
        }

        var dataLength = (int)length;
        var remaining = KnownRemaining();
        if (remaining >= 0 && remaining < dataLength)
        {
            throw TfRecordFormatException.TruncatedData(_name, RecordCount, offset, length, remaining);
        }

        ReadData(dataLength, offset);
        if (Fill(_frame.AsSpan(0, FooterLength), offset) < FooterLength)
        {
            throw TfRecordFormatException.TruncatedFooter(_name, RecordCount, offset);
        }

        var storedDataCrc = BinaryPrimitives.ReadUInt32LittleEndian(_frame);
        var dataCrc = TfRecordCrc.ComputeMasked(_buffer.AsSpan(0, dataLength));
        LastRecordOffset = offset;
        Position = offset + HeaderLength + dataLength + FooterLength;
        RecordCount++;
        if (storedDataCrc != dataCrc)
        {
            // The length was right (its checksum held), so the next record starts where this one ends: a caller may go on.
            throw TfRecordFormatException.DataCrcMismatch(_name, RecordCount - 1, offset, storedDataCrc, dataCrc);
        }

        record = _buffer.AsMemory(0, dataLength);
        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!ReferenceEquals(_input, _source))
        {
            _input.Dispose();
        }

        if (!_leaveOpen)
        {
            _source.Dispose();
        }

        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    // Reads the data in growing chunks, so memory follows the bytes that exist, not the length claimed.
    private void ReadData(int dataLength, long offset)
    {
        var filled = 0;
        while (filled < dataLength)
        {
            var want = Math.Min(dataLength, Math.Max(InitialChunk, filled * 2L));
            EnsureCapacity((int)want, filled);
            var got = Fill(_buffer.AsSpan(filled, (int)want - filled), offset);
            filled += got;
            if (filled < want)
            {
                throw TfRecordFormatException.TruncatedData(_name, RecordCount, offset, (ulong)dataLength, filled);
            }
        }
    }

    private void EnsureCapacity(int capacity, int keep)
    {
        if (_buffer.Length >= capacity)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(capacity);
        _buffer.AsSpan(0, keep).CopyTo(larger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = larger;
    }

    private int Fill(Span<byte> destination, long offset)
    {
        try
        {
            var got = _input.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false);
            _trailer?.Append(destination[..got]);
            return got;
        }
        catch (InvalidDataException e)
        {
            throw TfRecordFormatException.Unreadable(_name, RecordCount, offset,
                $"the {OptionWord.Of(Compression)} stream is corrupted ({e.Message})");
        }
    }

    // At the end of a compressed stream: its own checksum over everything it decompressed to must match.
    private void CheckTrailer(long offset)
    {
        if (_trailer is null)
        {
            return;
        }

        Span<byte> end = stackalloc byte[8];
        var length = (int)Math.Min(end.Length, _source.Length);
        _source.Seek(-length, SeekOrigin.End);
        _source.ReadExactly(end[..length]);
        if (_trailer.Problem(end[..length]) is { } problem)
        {
            throw TfRecordFormatException.Unreadable(_name, RecordCount, offset, problem);
        }
    }

    // Bytes left after the current position where the stream can tell (-1 otherwise): a length beyond them is
    // reported at once, before any buffer is sized for it.
    private long KnownRemaining()
    {
        if (Compression != TfRecordCompression.None || !_source.CanSeek)
        {
            return -1;
        }

        return Math.Max(0, _source.Length - _source.Position);
    }

    private string? CompressionHint()
    {
        if (RecordCount != 0 || Compression != TfRecordCompression.None)
        {
            return null;
        }

        return TfRecordFile.DetectFromPrefix(_frame) switch
        {
            TfRecordCompression.Gzip => "; it looks gzip-compressed: read it with compression Gzip",
            TfRecordCompression.Zlib => "; it looks zlib-compressed: read it with compression Zlib",
            _ => null,
        };
    }
}
