namespace Video2TfRecord.Storage;

/// <summary>
/// A request to object storage failed for good (after its retries): the message names the location and the cause in
/// one line. An <see cref="IOException"/>, so a run that cannot start says it and exits 1 like for a folder.
/// </summary>
public sealed class StorageException : IOException
{
    /// <summary>Creates the exception.</summary>
    public StorageException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Whether the cause was that the object or bucket does not exist.</summary>
    public bool NotFound { get; init; }

    /// <summary>Whether the cause was that the credentials may not do it (HTTP 403).</summary>
    public bool Denied { get; init; }
}
