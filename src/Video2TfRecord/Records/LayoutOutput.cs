using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Records;

/// <summary>
/// The output settings a layout checks in <see cref="IRecordLayout.Validate"/>: how the run names and writes its record
/// files. The run's own option part holds more; a layout is given only these.
/// </summary>
/// <param name="Prefix">The file name prefix (<c>--prefix</c>); the dataset name in the TFDS layout.</param>
/// <param name="Split">The split the files belong to (<c>--split</c>).</param>
/// <param name="Compression">The files' compression (<c>--compression</c>).</param>
/// <param name="SplitOverWorkers">Whether the run is one of several workers (<c>--worker-index</c>/<c>--worker-count</c>).</param>
internal sealed record LayoutOutput(string Prefix, string Split, TfRecordCompression Compression, bool SplitOverWorkers);
