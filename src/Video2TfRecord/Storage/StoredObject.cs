namespace Video2TfRecord.Storage;

/// <summary>One object as a listing or a HEAD request shows it.</summary>
/// <param name="Location">Where it is.</param>
/// <param name="Size">Its length in bytes.</param>
/// <param name="LastModifiedUtc">When it was last written.</param>
/// <param name="ETag">The store's tag for this version of it, or null.</param>
internal sealed record StoredObject(S3Location Location, long Size, DateTime LastModifiedUtc, string? ETag)
{
    /// <summary>The SHA-256 this tool recorded when it uploaded the object (metadata <c>sha256</c>), or null: only a HEAD request reads it.</summary>
    public string? Sha256 { get; init; }
}
