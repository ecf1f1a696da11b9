using Video2TfRecord.Storage;

namespace Video2TfRecord.Conversion.Remote;

/// <summary>
/// An <c>s3://</c> video of a run as its bucket listed it: what the catalog's fingerprint needs (size and time) and,
/// kept inside, what its download needs.
/// </summary>
internal sealed record RemoteVideo
{
    internal RemoteVideo(StoredObject stored)
    {
        Stored = stored;
    }

    /// <summary>The object's <c>s3://bucket/key</c>.</summary>
    public string Url => Stored.Location.ToString();

    /// <summary>Its length in bytes, as listed.</summary>
    public long Size => Stored.Size;

    /// <summary>When it was last written, as listed (UTC).</summary>
    public DateTime LastModifiedUtc => Stored.LastModifiedUtc;

    /// <summary>The object itself, for the video cache.</summary>
    internal StoredObject Stored { get; }
}
