namespace Video2TfRecord.Conversion.RunRecords;

/// <summary>A video of a shard that a previous run finished, as its videos.jsonl line says.</summary>
internal sealed record PreviousVideo(string Path, string FullPath, VideoStatus Status, string? Reason, int Frames, string? Split = null, string? ClipId = null);
