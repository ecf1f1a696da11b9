using System.Globalization;
using System.Text;

namespace Video2TfRecord.TfRecords;

/// <summary>
/// Index files beside record files: <c>&lt;file&gt;.idx</c> with one "offset length" line per record (byte offset of
/// the record's framing and its framed length, 12 + data + 4), the format NVIDIA DALI's <c>tfrecord2idx</c> writes and
/// the PyTorch <c>tfrecord</c> package reads. Only uncompressed files can be indexed: readers seek into them.
/// </summary>
public static class TfRecordIndex
{
    /// <summary>The index file's name for a record file: the record file's name plus <c>.idx</c>.</summary>
    public static string PathFor(string recordFile) => recordFile + ".idx";

    /// <summary>Reads <paramref name="recordFile"/> (verifying every checksum) and writes its index beside it.</summary>
    /// <returns>The number of records indexed.</returns>
    /// <exception cref="OptionException">The file is compressed.</exception>
    /// <exception cref="TfRecordFormatException">The file is corrupted.</exception>
    public static long Write(string recordFile)
    {
        var compression = TfRecordFile.DetectCompression(recordFile);
        if (compression != TfRecordCompression.None)
        {
            throw new InvalidDataException(
                $"{recordFile} is {OptionWord.Of(compression)}-compressed: index files need uncompressed records (DALI and the PyTorch tfrecord package seek into the file)");
        }

        var entries = new List<(long Offset, long Length)>();
        using (var reader = TfRecordFile.OpenRead(recordFile, compression))
        {
            while (reader.TryRead(out var record))
            {
                entries.Add((reader.LastRecordOffset, TfRecordWriter.FramedLength(record.Length)));
            }
        }

        Write(recordFile, entries);
        return entries.Count;
    }

    /// <summary>Writes the index of <paramref name="recordFile"/> from known offsets and framed lengths, atomically.</summary>
    internal static void Write(string recordFile, IEnumerable<(long Offset, long Length)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var text = new StringBuilder();
        foreach (var (offset, length) in entries)
        {
            text.Append(offset.ToString(CultureInfo.InvariantCulture)).Append(' ')
                .Append(length.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        AtomicFile.WriteAllBytes(PathFor(recordFile), Encoding.UTF8.GetBytes(text.ToString()));
    }
}
