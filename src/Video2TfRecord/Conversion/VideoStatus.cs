namespace Video2TfRecord.Conversion;

/// <summary>What happened to one video, as videos.jsonl records it.</summary>
public enum VideoStatus
{
    /// <summary>Written as a record.</summary>
    Ok,

    /// <summary>Readable, but not written by a policy (short video, missing label, record too large).</summary>
    Skipped,

    /// <summary>Could not be read or decoded.</summary>
    Failed,
}
