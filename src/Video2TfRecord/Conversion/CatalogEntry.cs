namespace Video2TfRecord.Conversion;

/// <summary>One video to convert.</summary>
/// <param name="FullPath">Absolute path of the file.</param>
/// <param name="RelativePath">Path below the folder argument it was found under (a file argument: its name), with <c>/</c> separators.</param>
public sealed record CatalogEntry(string FullPath, string RelativePath)
{
    /// <summary>
    /// The stable id stored in records, unique in a run: <see cref="RelativePath"/> without its extension, or with it
    /// when another video of the run has the same path but another extension (<c>a/b.avi</c> and <c>a/b.mp4</c>).
    /// </summary>
    public string Id { get; init; } = Stem(RelativePath);

    /// <summary><paramref name="relativePath"/> without the extension of its file name.</summary>
    public static string Stem(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var slash = relativePath.LastIndexOf('/');
        var dot = relativePath.LastIndexOf('.');
        return dot > slash + 1 ? relativePath[..dot] : relativePath;
    }
}
