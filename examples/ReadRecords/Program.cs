// Reads video2tfrecord output with the library: every record of every file in a folder (any compression, either
// layout), its metadata, and its frames decoded back to images.
//
//   dotnet run --project examples/ReadRecords -- out/example
using System.Globalization;
using Video2TfRecord.Inspection;
using Video2TfRecord.Records;
using Video2TfRecord.TfRecords;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: ReadRecords FOLDER|FILE");
    return 1;
}

IEnumerable<string> files = Directory.Exists(args[0])
    ? Directory.GetFiles(args[0]).Where(f => f.Contains(".tfrecord", StringComparison.Ordinal) && !f.EndsWith(".idx", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
    : [args[0]];
foreach (var file in files)
{
    // TfRecordFile.OpenRead detects gzip/zlib; for a stream of your own use new TfRecordReader(stream, compression, leaveOpen: true).
    using var reader = TfRecordFile.OpenRead(file);
    while (reader.TryRead(out var bytes))
    {
        var record = ParsedRecord.Parse(bytes.Span);
        var frames = StoredImages.Decode(record); // OpenCV Mats: BGR (OpenCV's order) or gray, 8 or 16 bit
        var flow = StoredFlow.Decode(record);     // dx, dy in pixels per frame, when the record has xy flow
        var shapes = frames.Select(f => $"{f.Height}x{f.Width}x{f.Channels()}").Distinct();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(file)} #{reader.RecordCount - 1}: {record.Id} label={record.LabelIndex?.ToString(CultureInfo.InvariantCulture) ?? "-"}:{record.LabelText ?? "-"} frames={frames.Count} shape={string.Join(",", shapes)} {record.Format} {record.Dtype} indices={string.Join(",", record.FrameIndices)} flow={flow.Count}"));
        foreach (var mat in frames.Concat(flow))
        {
            mat.Dispose();
        }
    }
}

return 0;
