using System.Buffers.Binary;

namespace Video2TfRecord.TfRecords;

/// <summary>Opens TFRecord files by path and recognizes their compression from the first bytes.</summary>
public static class TfRecordFile
{
    /// <summary>Bytes before a record's data: its length (uint64 LE) and the masked CRC-32C of those 8 bytes.</summary>
    public const int HeaderLength = 12;

    /// <summary>Bytes after a record's data: the masked CRC-32C of the data.</summary>
    public const int FooterLength = 4;

    /// <summary>The framing of one record: <see cref="HeaderLength"/> + <see cref="FooterLength"/> bytes.</summary>
    public const int FramingLength = HeaderLength + FooterLength;

    /// <summary>The file name ending TensorFlow users expect for <paramref name="compression"/>: <c>.tfrecord</c>, <c>.tfrecord.gz</c> or <c>.tfrecord.zz</c>.</summary>
    public static string Extension(TfRecordCompression compression) => compression switch
    {
        TfRecordCompression.None => ".tfrecord",
        TfRecordCompression.Gzip => ".tfrecord.gz",
        TfRecordCompression.Zlib => ".tfrecord.zz",
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "Unknown compression."),
    };

    /// <summary>
    /// Tells the compression of a file from its first bytes: a valid uncompressed record header wins, then the
    /// gzip magic (1F 8B), then a zlib header; an empty file is an uncompressed file with no records.
    /// </summary>
    public static TfRecordCompression DetectCompression(string path)
    {
        Storage.FileKind.RequireRegular(path);
        Span<byte> prefix = stackalloc byte[12];
        using var stream = File.OpenRead(path);
        var got = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        return DetectFromPrefix(prefix[..got]);
    }

    /// <summary>Opens a reader over a file, detecting its compression unless <paramref name="compression"/> is given.</summary>
    public static TfRecordReader OpenRead(string path, TfRecordCompression? compression = null)
    {
        // Before the open, which would wait forever for a named pipe's writer.
        Storage.FileKind.RequireRegular(path);
        var actual = compression ?? DetectCompression(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return new TfRecordReader(stream, actual, leaveOpen: false, sourceName: path);
    }

    internal static TfRecordCompression DetectFromPrefix(ReadOnlySpan<byte> prefix)
    {
        if (prefix.Length >= 12 &&
            BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..]) == TfRecordCrc.ComputeMasked(prefix[..8]))
        {
            return TfRecordCompression.None;
        }

        if (prefix.Length >= 2 && prefix[0] == 0x1F && prefix[1] == 0x8B)
        {
            return TfRecordCompression.Gzip;
        }

        // RFC 1950: deflate method (low nibble 8) and a header that is a multiple of 31.
        if (prefix.Length >= 2 && (prefix[0] & 0x0F) == 8 && ((prefix[0] << 8) | prefix[1]) % 31 == 0)
        {
            return TfRecordCompression.Zlib;
        }

        return TfRecordCompression.None;
    }
}
