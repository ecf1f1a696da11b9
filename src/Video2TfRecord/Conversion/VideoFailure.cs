namespace Video2TfRecord.Conversion;

/// <summary>A video that was not written, and why.</summary>
/// <param name="Path">The video's relative path.</param>
/// <param name="FullPath">The video's absolute path.</param>
/// <param name="Status"><see cref="VideoStatus.Skipped"/> (by a policy) or <see cref="VideoStatus.Failed"/> (unreadable).</param>
/// <param name="Reason">The cause in words, without the file name.</param>
public sealed record VideoFailure(string Path, string FullPath, VideoStatus Status, string Reason)
{
    /// <summary>For a clip: the clip's id; null for a whole video.</summary>
    public string? ClipId { get; init; }

    /// <summary>How messages name it: the absolute path, and the clip's id for a clip.</summary>
    public string Name => ClipId is null ? FullPath : $"{FullPath} (clip {ClipId})";
}
