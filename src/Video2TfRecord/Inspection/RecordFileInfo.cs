using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Inspection;

/// <summary>What inspect shows about one record file.</summary>
/// <param name="Path">The file.</param>
/// <param name="Compression">Compression detected from its first bytes.</param>
/// <param name="FileBytes">Size on disk.</param>
/// <param name="Records">Every record, in order.</param>
public sealed record RecordFileInfo(string Path, TfRecordCompression Compression, long FileBytes, IReadOnlyList<RecordInfo> Records);
