using System.Security.Cryptography;
using System.Text;
using Video2TfRecord.Conversion.Inputs;
using Video2TfRecord.Conversion.Output;
using Video2TfRecord.Storage;
using Video2TfRecord.Video;

namespace Video2TfRecord.Conversion.Remote;

/// <summary>
/// What a run reads from and writes to object storage, made local: <c>s3://</c> inputs listed, label and clip CSVs
/// downloaded, videos fetched through a bounded <see cref="VideoCache"/>, and the output staged by a
/// <see cref="BucketOutput"/>. A run without <c>s3://</c> paths gets its options back unchanged and no store.
/// Everything local lives in one folder of the work folder, removed when the run ends.
/// </summary>
/// <remarks>
/// The seam between a run and <see cref="Storage"/>: the rest of Conversion asks this type (and <see cref="RemoteVideo"/>,
/// <see cref="RemoteListing"/>) whether a path is remote and where its local copy is, and never names a store, a
/// location or a storage failure.
/// </remarks>
internal sealed class RunStorage : IDisposable
{
    private readonly ObjectStore? _store;
    private readonly VideoCache? _cache;
    private readonly string? _folder;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<StoredObject>> _listings;
    private Dictionary<string, RemoteListing>? _inputListings;

    private RunStorage(ConversionOptions options, OutputPlace output, IReadOnlyDictionary<string, IReadOnlyList<StoredObject>> listings,
        ObjectStore? store, VideoCache? cache, string? folder)
    {
        Options = options;
        Output = output;
        _listings = listings;
        _store = store;
        _cache = cache;
        _folder = folder;
    }

    /// <summary>The run's options with local paths: CSVs downloaded, and the output folder the staging folder for a bucket.</summary>
    public ConversionOptions Options { get; }

    /// <summary>Where the run's files end up.</summary>
    public OutputPlace Output { get; }

    /// <summary>What each <c>s3://</c> input lists, in the catalog's terms, for <see cref="InputCatalog"/>'s <c>Build</c>.</summary>
    public IReadOnlyDictionary<string, RemoteListing> InputListings =>
        _inputListings ??= _listings.ToDictionary(p => p.Key, p => RemoteListing.Of(p.Key, p.Value), StringComparer.Ordinal);


    /// <summary>The <c>s3://bucket/prefix/</c> the run writes to, or null for a folder (the manifest's <c>output</c>).</summary>
    public string? RemoteOutput => Output is BucketOutput bucket ? bucket.Name : null;

    /// <summary>Whether <paramref name="path"/> (an input, a CSV, an output, a cell of a CSV) is written as an <c>s3://</c> URL.</summary>
    public static bool IsRemote(string? path) => S3Location.IsS3(path);

    /// <summary>Resolves the <c>s3://</c> paths of <paramref name="options"/>: lists inputs, downloads CSVs, stages the output.</summary>
    /// <exception cref="StorageException">A listing or download failed: no bucket, no credentials, access denied, no network.</exception>
    /// <exception cref="OptionException">An <c>s3://</c> path is malformed.</exception>
    public static async Task<RunStorage> OpenAsync(ConversionOptions options, CancellationToken cancellationToken)
    {
        var paths = options.Inputs.Paths.Concat(ListedPaths(options.Inputs.List)).ToList();
        var output = options.Output.Directory;
        var remote = paths.Any(S3Location.IsS3) || S3Location.IsS3(output) || S3Location.IsS3(options.Labels.File) || S3Location.IsS3(options.Clips.File);
        if (!remote)
        {
            return new RunStorage(options, new OutputPlace.Folder(output), new Dictionary<string, IReadOnlyList<StoredObject>>(), null, null, null);
        }

        var store = options.Storage.Connect();
        string? folder = null;
        try
        {
            folder = Path.Combine(options.Storage.CreateWorkDirectory(), StorageOptions.ProcessFolderName(StorageOptions.RunFolderPrefix));
            Directory.CreateDirectory(folder);
            // Input lists name up to millions of objects: their lookups go 16 at a time.
            var listings = new System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<StoredObject>>(StringComparer.Ordinal);
            await Parallel.ForEachAsync(paths.Where(S3Location.IsS3).Distinct(StringComparer.Ordinal),
                new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
                async (path, ct) => listings[path] = await ExpandAsync(store, S3Location.Parse(path, "input", "input"), ct).ConfigureAwait(false)).ConfigureAwait(false);

            var labels = options.Labels with { File = await DownloadAsync(store, options.Labels.File, folder, "labels", cancellationToken).ConfigureAwait(false) };
            var clips = options.Clips with { File = await DownloadAsync(store, options.Clips.File, folder, "clips", cancellationToken).ConfigureAwait(false) };
            OutputPlace place = S3Location.IsS3(output)
                ? new BucketOutput(store, S3Location.Parse(output, "output", "-o/--output"), Path.Combine(folder, "staging"), options.Storage.CheckpointInterval)
                : new OutputPlace.Folder(output);
            var local = options with { Labels = labels, Clips = clips, Output = options.Output with { Directory = place.Directory } };
            var cache = new VideoCache(store, Path.Combine(folder, "videos"), options.Storage.CacheBytes, cancellationToken);
            return new RunStorage(local, place, listings, store, cache, folder);
        }
        catch
        {
            store.Dispose();
            if (folder is not null)
            {
                StorageOptions.DeleteFolder(folder);
            }

            throw;
        }
    }

    /// <summary>
    /// The local file of <paramref name="entry"/>: the file itself, or a copy of its object held until the returned
    /// <see cref="LocalVideo"/> is disposed. Awaited by the workers while the download runs.
    /// </summary>
    /// <exception cref="VideoReadException">
    /// The video cannot be downloaded; its <see cref="VideoReadException.Cause"/> says why, without the location, so a
    /// download that fails is reported as a video that cannot be read is.
    /// </exception>
    public async ValueTask<LocalVideo> AcquireAsync(CatalogEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Remote is not { } remote || _cache is null)
        {
            return new LocalVideo(entry.FullPath, null);
        }

        try
        {
            var lease = await _cache.AcquireAsync(remote.Stored, cancellationToken).ConfigureAwait(false);
            return new LocalVideo(lease.Path, lease);
        }
        catch (StorageException e)
        {
            throw new VideoReadException(entry.FullPath, DownloadFailure(e), inner: e);
        }
    }

    /// <summary>Starts the download of an <c>s3://</c> entry that a worker will reach soon; nothing for a local one.</summary>
    public void Prefetch(CatalogEntry entry)
    {
        if (entry.Remote is { } remote)
        {
            _cache?.Prefetch(remote.Stored);
        }
    }

    // Why a video was not written when its download failed: the cause, without the location the listing names already.
    private static string DownloadFailure(StorageException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return "cannot download it: " + (failure.InnerException is { } cause ? ObjectStore.Describe(cause) : failure.Message);
    }

    /// <summary>Removes the local copies and the staging folder, and closes the store.</summary>
    public void Dispose()
    {
        if (Output is BucketOutput bucket)
        {
            // The run ended (done, failed or interrupted): its claim on the prefix goes, bounded to a few seconds.
            bucket.ReleaseAsync().GetAwaiter().GetResult();
        }

        _cache?.Dispose();
        _store?.Dispose();
        if (_folder is not null)
        {
            StorageOptions.DeleteFolder(_folder);
        }
    }

    // An object named exactly is one video; else its key is a folder whose objects are listed, all the way down. An
    // object the credentials may not look at is still that video (its download then fails, alone) unless the key is
    // a folder they may list.
    private static async Task<IReadOnlyList<StoredObject>> ExpandAsync(ObjectStore store, S3Location location, CancellationToken cancellationToken)
    {
        StorageException? denied = null;
        if (location.Key.Length > 0 && !location.Key.EndsWith('/'))
        {
            try
            {
                if (await store.HeadAsync(location, cancellationToken).ConfigureAwait(false) is { } single)
                {
                    return [single];
                }
            }
            catch (StorageException e) when (e.Denied)
            {
                denied = e;
            }
        }

        IReadOnlyList<StoredObject> listed;
        try
        {
            listed = await store.ListAsync(location.AsFolder(), recursive: true, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException e) when (e.Denied && denied is not null)
        {
            listed = [];
        }

        return listed.Count == 0 && denied is not null ? [new StoredObject(location, 0, default, null)] : listed;
    }



    private static async Task<string?> DownloadAsync(ObjectStore store, string? path, string folder, string option, CancellationToken cancellationToken)
    {
        if (!S3Location.IsS3(path))
        {
            return path;
        }

        var location = S3Location.Parse(path!, option, "--" + option);
        // The copy keeps the object's name, so messages about its lines still say which file they mean.
        var local = Path.Combine(folder, option, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path!)))[..12], location.Name);
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        try
        {
            await store.DownloadAsync(location, local, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException e)
        {
            throw new OptionException(option, $"--{option}: cannot read {e.Message}", e);
        }

        return local;
    }

    private static IEnumerable<string> ListedPaths(InputList? list) =>
        list?.Lines.Select(l => l.Trim()).Where(S3Location.IsS3) ?? [];
}
