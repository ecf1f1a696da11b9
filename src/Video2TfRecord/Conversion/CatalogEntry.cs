namespace Video2TfRecord.Conversion;

/// <summary>One video to convert.</summary>
/// <param name="FullPath">Absolute path of the file.</param>
/// <param name="RelativePath">Path below the folder argument it was found under (a file argument: its name), with <c>/</c> separators.</param>
public sealed record CatalogEntry(string FullPath, string RelativePath)
{
    /// <summary>The stable id stored in records: <see cref="RelativePath"/> without its extension.</summary>
    public string Id
    {
        get
        {
            var slash = RelativePath.LastIndexOf('/');
            var dot = RelativePath.LastIndexOf('.');
            return dot > slash + 1 ? RelativePath[..dot] : RelativePath;
        }
    }
}
