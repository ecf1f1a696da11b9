namespace Video2TfRecord.Conversion.Remote;

/// <summary>A video's file on the local disk: the file itself, or a downloaded copy kept until this is disposed.</summary>
/// <param name="path">The local file to open.</param>
/// <param name="lease">What keeps a downloaded copy from being evicted, or null for a local file.</param>
internal sealed class LocalVideo(string path, IDisposable? lease) : IDisposable
{
    /// <summary>The local file to open.</summary>
    public string Path { get; } = path;

    /// <summary>Lets the cache evict a downloaded copy again.</summary>
    public void Dispose() => lease?.Dispose();
}
