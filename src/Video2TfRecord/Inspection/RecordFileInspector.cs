using Google.Protobuf;
using Video2TfRecord.Records;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Inspection;

/// <summary>Reads record files and describes what they hold; checksums are verified on the way.</summary>
public static class RecordFileInspector
{
    /// <summary>
    /// Expands inspect's arguments: files as they are, folders to the record files directly inside them (sorted).
    /// </summary>
    /// <exception cref="OptionException">A path does not exist, or a folder holds no record file.</exception>
    public static IReadOnlyList<string> ExpandPaths(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                var inside = Directory.EnumerateFiles(path)
                    .Where(f => Conversion.Output.OutputFolder.IsRecordFile(System.IO.Path.GetFileName(f)))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (inside.Count == 0)
                {
                    throw new FileNotFoundException($"no record files (*-NNNNN-of-NNNNN.tfrecord*) in folder {path}");
                }

                files.AddRange(inside);
            }
            else
            {
                throw new FileNotFoundException($"file not found: {path}", path);
            }
        }

        return files;
    }

    /// <summary>Describes every record of one file.</summary>
    /// <exception cref="TfRecordFormatException">The framing is truncated or a checksum fails.</exception>
    /// <exception cref="InvalidDataException">A record is not a tf.train.Example or SequenceExample.</exception>
    public static RecordFileInfo Inspect(string path)
    {
        var records = new List<RecordInfo>();
        using var reader = TfRecordFile.OpenRead(path);
        while (reader.TryRead(out var bytes))
        {
            var parsed = Parse(path, reader, bytes.Span);
            var clip = parsed.Clip;
            var audio = parsed.Audio;
            records.Add(new RecordInfo(
                reader.RecordCount - 1,
                reader.LastRecordOffset,
                bytes.Length,
                parsed.Layout,
                parsed.Id,
                parsed.VideoPath,
                parsed.Images().Count,
                parsed.Height,
                parsed.Width,
                parsed.Channels,
                parsed.Format,
                parsed.Dtype,
                parsed.FrameIndices,
                parsed.LabelIndex,
                parsed.LabelText,
                parsed.Keys(),
                clip?.SourceId,
                clip?.StartUs,
                clip?.EndUs,
                parsed.Caption,
                audio?.Frames,
                audio?.SampleRate,
                audio?.Channels));
        }

        return new RecordFileInfo(path, reader.Compression, new FileInfo(path).Length, records);
    }

    internal static ParsedRecord Parse(string path, TfRecordReader reader, ReadOnlySpan<byte> bytes)
    {
        try
        {
            return ParsedRecord.Parse(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException(
                $"{path}: record {reader.RecordCount - 1} at byte offset {reader.LastRecordOffset}: not a tf.train.Example or SequenceExample ({e.Message})", e);
        }
    }
}
