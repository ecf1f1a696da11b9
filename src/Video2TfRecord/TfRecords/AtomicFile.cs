namespace Video2TfRecord.TfRecords;

/// <summary>
/// Files that never look finished while half-written: content goes to a hidden temporary name in the same folder,
/// <c>.&lt;name&gt;.partial</c>, which is renamed over the final name only once complete (a rename within one folder is
/// atomic), and removed when writing fails.
/// </summary>
internal static class AtomicFile
{
    /// <summary>The suffix of every temporary name; a run removes strays of its own that end so.</summary>
    public const string TemporarySuffix = ".partial";

    /// <summary>The temporary name of <paramref name="fileName"/>: <c>.&lt;name&gt;.partial</c>.</summary>
    public static string TemporaryName(string fileName) => "." + fileName + TemporarySuffix;

    /// <summary>The temporary path beside <paramref name="path"/>.</summary>
    /// <param name="path">The final path.</param>
    /// <param name="unique">
    /// Adds a random part (<c>.&lt;name&gt;.&lt;random&gt;.partial</c>) so that processes writing the same file at once, even
    /// on several machines where process ids repeat, never share or delete each other's temporary file.
    /// </param>
    public static string TemporaryPath(string path, bool unique = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        var name = Path.GetFileName(full);
        return Path.Combine(Path.GetDirectoryName(full)!, unique ? $".{name}.{Path.GetRandomFileName()}{TemporarySuffix}" : TemporaryName(name));
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> through its temporary name.</summary>
    /// <exception cref="IOException">The file cannot be written; the temporary file is gone.</exception>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content, bool unique = false)
    {
        var bytes = content.ToArray();
        Write(path, stream => stream.Write(bytes), unique);
    }

    /// <summary>Creates the temporary file, lets <paramref name="write"/> fill it, then renames it to <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The file cannot be written; the temporary file is gone.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder cannot be written.</exception>
    public static void Write(string path, Action<Stream> write, bool unique = false)
    {
        ArgumentNullException.ThrowIfNull(write);
        var temp = TemporaryPath(path, unique);
        var created = false;
        try
        {
            using (var stream = new FileStream(temp, unique ? FileMode.CreateNew : FileMode.Create, FileAccess.Write, FileShare.None))
            {
                created = true;
                write(stream);
            }

            File.Move(temp, path, overwrite: true);
            created = false;
        }
        finally
        {
            if (created)
            {
                File.Delete(temp);
            }
        }
    }
}
