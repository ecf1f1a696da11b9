using OpenCvSharp;
using Video2TfRecord.Inspection;
using Video2TfRecord.Records;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Tests.Fixtures;

/// <summary>Reads records back with the library's reader and decodes stored images for assertions.</summary>
public static class RecordFiles
{
    public static List<ParsedRecord> ReadAll(string path)
    {
        var records = new List<ParsedRecord>();
        using var reader = TfRecordFile.OpenRead(path);
        while (reader.TryRead(out var bytes))
        {
            records.Add(ParsedRecord.Parse(bytes.Span));
        }

        return records;
    }

    public static List<byte[]> ReadRaw(string path)
    {
        var records = new List<byte[]>();
        using var reader = TfRecordFile.OpenRead(path);
        while (reader.TryRead(out var bytes))
        {
            records.Add(bytes.ToArray());
        }

        return records;
    }

    /// <summary>Writes <paramref name="records"/> as the whole uncompressed file <paramref name="path"/>, checksums right.</summary>
    public static void WriteRaw(string path, params byte[][] records)
    {
        using var stream = File.Create(path);
        using var writer = new TfRecordWriter(stream);
        foreach (var record in records)
        {
            writer.Write(record);
        }
    }

    /// <summary>Decodes every stored image to an OpenCV Mat (BGR for color), raw images included.</summary>
    public static List<Mat> DecodeImages(ParsedRecord record) => StoredImages.Decode(record);

    public static int[] StoredPatternIndices(ParsedRecord record) =>
        DecodeImages(record).Select(PatternFrames.ReadIndex).ToArray();
}
