using System.Globalization;
using Video2TfRecord.Conversion.Output;
using Video2TfRecord.Storage;

namespace Video2TfRecord.Conversion.Remote;

/// <summary>
/// Record files and output folders given as <c>s3://</c> URLs, made local for a reader (inspect, verify, index,
/// preview, or any front end that reads a run): an object is downloaded, a prefix has this tool's files directly under
/// it downloaded (records, indexes, manifest, logs, labels), into a folder of the work folder removed on
/// <see cref="Dispose"/>. What the reader prints about the copies is said of the URLs by <see cref="OfUrls"/>.
/// Arguments without <c>s3://</c> are used as they are, and no store is reached.
/// </summary>
internal sealed class LocalCopies : IDisposable
{
    private readonly ObjectStore? _store;
    private readonly string? _root;
    private readonly List<(string Local, S3Location Remote)> _folders;

    private LocalCopies(IReadOnlyList<string> paths, ObjectStore? store, string? root, List<(string, S3Location)> folders)
    {
        Paths = paths;
        _store = store;
        _root = root;
        _folders = folders;
    }

    /// <summary>The arguments as local paths, in their order: a copy for each <c>s3://</c> URL, the others as given.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>Whether any argument was an <c>s3://</c> URL (and <see cref="Paths"/> holds copies).</summary>
    public bool HasCopies => _store is not null;

    /// <summary>Brings the <c>s3://</c> arguments to the local disk.</summary>
    /// <param name="arguments">Files and folders, or <c>s3://</c> URLs of objects and prefixes.</param>
    /// <param name="storage">How the store is reached and where the copies go (its work folder).</param>
    /// <param name="cancellationToken">Stops the downloads.</param>
    /// <exception cref="OptionException">A URL is malformed, or names neither an object nor a prefix with files of this tool; or <paramref name="storage"/> is out of range.</exception>
    /// <exception cref="StorageException">The bucket cannot be read.</exception>
    public static async Task<LocalCopies> OpenAsync(IReadOnlyList<string> arguments, StorageOptions storage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(storage);
        if (!arguments.Any(S3Location.IsS3))
        {
            return new LocalCopies(arguments, null, null, []);
        }

        var store = storage.Connect();
        string? root = null;
        var folders = new List<(string, S3Location)>();
        var paths = new List<string>();
        try
        {
            root = Path.Combine(storage.CreateWorkDirectory(), StorageOptions.ProcessFolderName(StorageOptions.ReadFolderPrefix));
            foreach (var argument in arguments)
            {
                paths.Add(S3Location.IsS3(argument)
                    ? await BringAsync(store, S3Location.Parse(argument, "input", "input"), Path.Combine(root, folders.Count.ToString(CultureInfo.InvariantCulture)), folders, cancellationToken).ConfigureAwait(false)
                    : argument);
            }
        }
        catch
        {
            store.Dispose();
            if (root is not null)
            {
                StorageOptions.DeleteFolder(root);
            }

            throw;
        }

        return new LocalCopies(paths, store, root, folders);
    }

    /// <summary>
    /// Runs a reader's <paramref name="body"/> on the arguments made local, with what it writes said of the URLs: while
    /// an argument is a copy, <paramref name="output"/> and <paramref name="error"/> are buffered and written, every
    /// copy's path replaced by its URL, when the body ends. Without <c>s3://</c> arguments the body writes to them directly.
    /// </summary>
    /// <param name="arguments">As <see cref="OpenAsync"/> takes them.</param>
    /// <param name="storage">As <see cref="OpenAsync"/> takes it.</param>
    /// <param name="output">Where the body's output ends up.</param>
    /// <param name="error">Where the body's errors end up.</param>
    /// <param name="body">The reader: the copies, then the writers to use instead of <paramref name="output"/> and <paramref name="error"/>.</param>
    /// <param name="failed">
    /// Asked, when the body throws while an argument is a copy, to write the failure to the (buffered) error writer it is
    /// given, so that it is said of the URL, and to give the result; null lets the exception go on unchanged. Not asked
    /// without copies: the exception goes on.
    /// </param>
    /// <param name="cancellationToken">Stops the downloads.</param>
    /// <exception cref="OptionException">As <see cref="OpenAsync"/>.</exception>
    /// <exception cref="StorageException">As <see cref="OpenAsync"/>, or an upload of <see cref="PublishAsync"/> failed.</exception>
    public static async Task<T> RunAsync<T>(IReadOnlyList<string> arguments, StorageOptions storage, TextWriter output, TextWriter error,
        Func<LocalCopies, TextWriter, TextWriter, Task<T>> body, Func<Exception, TextWriter, Task<T>?> failed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(failed);
        using var copies = await OpenAsync(arguments, storage, cancellationToken).ConfigureAwait(false);
        if (!copies.HasCopies)
        {
            return await body(copies, output, error).ConfigureAwait(false);
        }

        using var bufferedOutput = new StringWriter();
        using var bufferedError = new StringWriter();
        try
        {
            return await body(copies, bufferedOutput, bufferedError).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Asked in the catch, not in a filter: a filter would write before the body's own finally blocks ran.
            if (failed(e, bufferedError) is not { } result)
            {
                throw;
            }

            return await result.ConfigureAwait(false);
        }
        finally
        {
            await output.WriteAsync(copies.OfUrls(bufferedOutput.ToString())).ConfigureAwait(false);
            await error.WriteAsync(copies.OfUrls(bufferedError.ToString())).ConfigureAwait(false);
        }
    }

    /// <summary><paramref name="text"/> with every copy's path replaced by the URL it is a copy of; unchanged without copies.</summary>
    public string OfUrls(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Longest copies first, so a folder's path never replaces part of a longer one.
        foreach (var (local, remote) in _folders.OrderByDescending(f => f.Local.Length))
        {
            text = text.Replace(local + "/", remote.AsFolder().ToString(), StringComparison.Ordinal)
                .Replace(local, remote.ToString().TrimEnd('/'), StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>Uploads a file the reader wrote beside a copy (an index) to the copy's prefix; nothing for a local file.</summary>
    /// <exception cref="StorageException">The upload failed.</exception>
    public async Task PublishAsync(string localFile, CancellationToken cancellationToken = default)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(localFile));
        foreach (var (local, remote) in _folders)
        {
            if (_store is not null && string.Equals(local, folder, StringComparison.Ordinal))
            {
                await _store.UploadAsync(localFile, remote.Child(Path.GetFileName(localFile)), null, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Removes the copies and closes the store.</summary>
    public void Dispose()
    {
        _store?.Dispose();
        if (_root is not null)
        {
            StorageOptions.DeleteFolder(_root);
        }
    }

    // An object is a record file; else the key is a prefix whose files of ours come down into a folder of their own.
    private static async Task<string> BringAsync(ObjectStore store, S3Location location, string folder, List<(string, S3Location)> folders,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        if (location.Key.Length > 0 && !location.Key.EndsWith('/') && await store.HeadAsync(location, cancellationToken).ConfigureAwait(false) is not null)
        {
            var file = Path.Combine(folder, location.Name);
            await store.DownloadAsync(location, file, cancellationToken).ConfigureAwait(false);
            var parent = location.Key.LastIndexOf('/') is var slash and >= 0 ? location with { Key = location.Key[..(slash + 1)] } : location with { Key = "" };
            folders.Add((folder, parent));
            return file;
        }

        var prefix = location.AsFolder();
        var ours = (await store.ListAsync(prefix, recursive: false, cancellationToken).ConfigureAwait(false))
            .Where(o => OutputFolder.IsOurs(o.Location.Name)).ToList();
        if (ours.Count == 0)
        {
            throw new OptionException("input", $"{prefix}: no object of that name, and no record files or manifest.json under it");
        }

        foreach (var stored in ours)
        {
            await store.DownloadAsync(stored.Location, Path.Combine(folder, stored.Location.Name), cancellationToken).ConfigureAwait(false);
        }

        folders.Add((folder, prefix));
        return folder;
    }
}
