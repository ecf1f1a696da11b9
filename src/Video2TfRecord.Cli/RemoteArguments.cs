using Video2TfRecord.Conversion.Output;
using Video2TfRecord.Storage;

namespace Video2TfRecord.Cli;

/// <summary>
/// The record files and output folders of <c>inspect</c>, <c>verify</c>, <c>index</c> and <c>preview</c> when they are
/// <c>s3://</c> URLs: an object is downloaded, a prefix has this tool's files directly under it downloaded (records,
/// indexes, manifest, logs, labels), into a folder of the work folder removed afterwards. The command runs on the
/// copies; what it prints is buffered and said of the URLs, not of the copies. Arguments without <c>s3://</c> are
/// used as they are, and nothing is buffered.
/// </summary>
internal sealed class RemoteArguments : IDisposable
{
    private readonly ObjectStore? _store;
    private readonly string? _root;
    private readonly List<(string Local, S3Location Remote)> _folders;
    private readonly StringWriter? _output;
    private readonly StringWriter? _error;

    private RemoteArguments(IReadOnlyList<string> paths, ObjectStore? store, string? root, List<(string, S3Location)> folders)
    {
        Paths = paths;
        _store = store;
        _root = root;
        _folders = folders;
        if (store is not null)
        {
            _output = new StringWriter();
            _error = new StringWriter();
        }
    }

    /// <summary>The arguments as local paths.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>Brings the <c>s3://</c> arguments to the local disk.</summary>
    /// <exception cref="OptionException">A URL is malformed, or names neither an object nor a prefix with files of this tool.</exception>
    /// <exception cref="StorageException">The bucket cannot be read.</exception>
    public static async Task<RemoteArguments> OpenAsync(IReadOnlyList<string> arguments, StorageOptions storage, CancellationToken cancellationToken)
    {
        if (!arguments.Any(S3Location.IsS3))
        {
            return new RemoteArguments(arguments, null, null, []);
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
                    ? await BringAsync(store, S3Location.Parse(argument, "input", "input"), Path.Combine(root, folders.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)), folders, cancellationToken).ConfigureAwait(false)
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

        return new RemoteArguments(paths, store, root, folders);
    }

    /// <summary>
    /// Runs a command's <paramref name="body"/> on the arguments made local, with its output said of the URLs.
    /// </summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> arguments, StorageOptions storage, TextWriter output, TextWriter error,
        Func<RemoteArguments, TextWriter, TextWriter, Task<int>> body, CancellationToken cancellationToken)
    {
        using var remote = await OpenAsync(arguments, storage, cancellationToken).ConfigureAwait(false);
        try
        {
            return await body(remote, remote.Output(output), remote.Error(error)).ConfigureAwait(false);
        }
        catch (Exception e) when (remote._store is not null
            && e is UsageException or OptionException or TfRecords.TfRecordFormatException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            // As the command line says it (CliApplication), but of the URL, not of the copy.
            await remote.Error(error).WriteLineAsync($"video2tfrecord: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        finally
        {
            await remote.FlushAsync(output, error).ConfigureAwait(false);
        }
    }

    /// <summary>Where the command writes: <paramref name="output"/> itself, or a buffer said of the URLs by <see cref="FlushAsync"/>.</summary>
    public TextWriter Output(TextWriter output) => _output ?? output;

    /// <summary>Where the command writes its errors, as <see cref="Output"/>.</summary>
    public TextWriter Error(TextWriter error) => _error ?? error;

    /// <summary>Writes what the command printed, every copy's path replaced by its URL.</summary>
    public async Task FlushAsync(TextWriter output, TextWriter error)
    {
        if (_output is not null && _error is not null)
        {
            await output.WriteAsync(Rewrite(_output.ToString())).ConfigureAwait(false);
            await error.WriteAsync(Rewrite(_error.ToString())).ConfigureAwait(false);
        }
    }

    /// <summary>Uploads a file the command wrote beside a copy (an index) to the copy's prefix; nothing for a local file.</summary>
    public async Task PublishAsync(string localFile, CancellationToken cancellationToken)
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

    public void Dispose()
    {
        _store?.Dispose();
        _output?.Dispose();
        _error?.Dispose();
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

    // Longest copies first, so a folder's path never replaces part of a longer one.
    private string Rewrite(string text)
    {
        foreach (var (local, remote) in _folders.OrderByDescending(f => f.Local.Length))
        {
            text = text.Replace(local + "/", remote.AsFolder().ToString(), StringComparison.Ordinal)
                .Replace(local, remote.ToString().TrimEnd('/'), StringComparison.Ordinal);
        }

        return text;
    }
}
