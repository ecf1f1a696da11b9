using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;

namespace Video2TfRecord.TfRecords;

/// <summary>
/// The checksum a gzip (CRC-32 and size mod 2³²) or zlib (Adler-32) stream ends with, computed over the bytes it
/// decompresses to and compared with the file's last bytes: .NET's decompressors end quietly on a stream cut inside
/// its trailer, which <c>gzip -t</c> calls "unexpected end of file".
/// </summary>
internal sealed class StreamTrailer
{
    private const uint AdlerModulus = 65521;

    // Largest run of bytes whose Adler-32 sums cannot overflow 32 bits before the modulus is taken.
    private const int AdlerRun = 5552;

    private readonly TfRecordCompression _compression;
    private readonly Crc32 _crc = new();
    private uint _adlerA = 1, _adlerB;
    private long _length;

    public StreamTrailer(TfRecordCompression compression) => _compression = compression;

    /// <summary>Adds decompressed bytes, in order.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        _length += data.Length;
        if (_compression == TfRecordCompression.Gzip)
        {
            _crc.Append(data);
            return;
        }

        while (data.Length > 0)
        {
            var run = data[..Math.Min(AdlerRun, data.Length)];
            foreach (var b in run)
            {
                _adlerA += b;
                _adlerB += _adlerA;
            }

            (_adlerA, _adlerB) = (_adlerA % AdlerModulus, _adlerB % AdlerModulus);
            data = data[run.Length..];
        }
    }

    /// <summary>What is wrong with the trailer in <paramref name="fileEnd"/> (the file's last bytes), or null when it matches.</summary>
    /// <param name="fileEnd">At least the trailer's 8 (gzip) or 4 (zlib) bytes; fewer means the file is cut.</param>
    public string? Problem(ReadOnlySpan<byte> fileEnd)
    {
        if (_compression == TfRecordCompression.Gzip)
        {
            if (fileEnd.Length < 8)
            {
                return "the gzip stream has no trailer; the file was cut short";
            }

            var trailer = fileEnd[^8..];
            var (storedCrc, storedSize) = (BinaryPrimitives.ReadUInt32LittleEndian(trailer), BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]));
            var (crc, size) = (_crc.GetCurrentHashAsUInt32(), (uint)_length);
            return storedCrc == crc && storedSize == size ? null : string.Create(CultureInfo.InvariantCulture,
                $"the gzip trailer does not match the data (CRC-32 stored 0x{storedCrc:X8}, computed 0x{crc:X8}; size stored {storedSize}, read {size}); the file was cut short or damaged");
        }

        if (fileEnd.Length < 4)
        {
            return "the zlib stream has no trailer; the file was cut short";
        }

        var stored = BinaryPrimitives.ReadUInt32BigEndian(fileEnd[^4..]);
        var adler = (_adlerB << 16) | _adlerA;
        return stored == adler ? null : string.Create(CultureInfo.InvariantCulture,
            $"the zlib trailer does not match the data (Adler-32 stored 0x{stored:X8}, computed 0x{adler:X8}); the file was cut short or damaged");
    }
}
