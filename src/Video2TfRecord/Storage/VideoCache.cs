using System.Security.Cryptography;
using System.Text;

namespace Video2TfRecord.Storage;

/// <summary>
/// Local copies of videos that live in object storage, downloaded when a worker needs one and kept, least recently
/// used first out, while they fit in <see cref="StorageOptions.CacheBytes"/>. A video being converted, or downloaded
/// ahead and not yet taken, is never evicted, so the disk holds at most the bound plus two videos per job. A copy is
/// named after its location and ETag: a changed object is downloaded again.
/// </summary>
internal sealed class VideoCache : IDisposable
{
    private readonly ObjectStore _store;
    private readonly string _folder;
    private readonly long _maxBytes;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Copy> _copies = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _closing;
    private long _clock;

    /// <summary>Creates an empty cache in <paramref name="folder"/> (created; its previous contents are deleted).</summary>
    /// <param name="store">Where the videos are.</param>
    /// <param name="folder">The local folder for the copies.</param>
    /// <param name="maxBytes">How many bytes of copies nobody holds the cache keeps.</param>
    /// <param name="stopping">Stops prefetches (the run was cancelled); disposing the cache stops them too.</param>
    public VideoCache(ObjectStore store, string folder, long maxBytes, CancellationToken stopping = default)
    {
        _closing = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(folder);
        _store = store;
        _folder = folder;
        _maxBytes = maxBytes;
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
    }

    /// <summary>Bytes of downloaded videos on disk now.</summary>
    public long BytesOnDisk
    {
        get
        {
            lock (_gate)
            {
                return _copies.Values.Where(c => c.Download.IsCompletedSuccessfully).Sum(c => c.Size);
            }
        }
    }

    /// <summary>
    /// A local copy of <paramref name="video"/>, downloaded now unless the cache holds it; it stays until the lease is
    /// disposed. Two workers asking for one video share one download.
    /// </summary>
    /// <exception cref="StorageException">The video cannot be downloaded: the message names its location and the cause.</exception>
    public Task<Lease> AcquireAsync(StoredObject video, CancellationToken cancellationToken) => AcquireAsync(video, prefetch: false, cancellationToken);

    private async Task<Lease> AcquireAsync(StoredObject video, bool prefetch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(video);
        var name = Name(video);
        Copy copy;
        lock (_gate)
        {
            if (!_copies.TryGetValue(name, out copy!) || copy.Download.IsFaulted || copy.Download.IsCanceled)
            {
                var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..24];
                var path = Path.Combine(_folder, hash + Path.GetExtension(video.Location.Key));
                // Downloaded ahead for a worker that has not asked yet: kept, whatever the bound, until one does.
                copy = new Copy(path, video.Size, _store.DownloadAsync(video.Location, path, cancellationToken)) { Prefetched = prefetch };
                _copies[name] = copy;
            }
            else if (!prefetch)
            {
                copy.Prefetched = false;
            }

            copy.Users++;
            copy.Used = ++_clock;
        }

        try
        {
            // A shared download goes on for the others; this caller stops waiting when it is cancelled.
            await copy.Download.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Release(name, copy);
            throw;
        }

        Evict();
        return new Lease(copy.Path, () => Release(name, copy));
    }

    /// <summary>
    /// Starts downloading <paramref name="video"/> now, for a worker that will ask for it soon, so that its download
    /// overlaps the conversion of the videos before it. A failure is left for that worker's own request to report.
    /// </summary>
    public void Prefetch(StoredObject video)
    {
        ArgumentNullException.ThrowIfNull(video);
        // Pinned when the download is registered (AcquireAsync), not when it ends: a worker that takes the copy in between
        // unpins it, and nothing pins it after that.
        _ = AcquireAsync(video, prefetch: true, _closing.Token).ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully)
            {
                t.Result.Dispose();
            }
            else
            {
                _ = t.Exception;
            }
        }, TaskScheduler.Default);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _closing.Cancel();
        _closing.Dispose();
        // A copy still being written by a cancelled download stays for the next run to reclaim.
        StorageOptions.DeleteFolder(_folder);
    }

    private static string Name(StoredObject video) => video.Location + "\n" + video.ETag;

    private void Release(string name, Copy copy)
    {
        lock (_gate)
        {
            copy.Users--;
            if (!copy.Download.IsCompletedSuccessfully && copy.Users == 0 && _copies.GetValueOrDefault(name) == copy)
            {
                _copies.Remove(name);
            }
        }

        Evict();
    }

    // Drops the least recently used copies nobody holds until the rest fit.
    private void Evict()
    {
        var doomed = new List<string>();
        lock (_gate)
        {
            var total = _copies.Values.Where(c => c.Download.IsCompletedSuccessfully).Sum(c => c.Size);
            foreach (var (name, copy) in _copies.Where(p => p.Value.Users == 0 && !p.Value.Prefetched && p.Value.Download.IsCompletedSuccessfully)
                         .OrderBy(p => p.Value.Used).ToList())
            {
                if (total <= _maxBytes)
                {
                    break;
                }

                _copies.Remove(name);
                total -= copy.Size;
                doomed.Add(copy.Path);
            }
        }

        foreach (var path in doomed)
        {
            File.Delete(path);
        }
    }

    private sealed class Copy(string path, long size, Task download)
    {
        public string Path { get; } = path;

        public long Size { get; } = size;

        public Task Download { get; } = download;

        public int Users { get; set; }

        public long Used { get; set; }

        // Downloaded ahead for a worker that has not asked for it yet: not evicted until then.
        public bool Prefetched { get; set; }
    }

    /// <summary>A local copy in use: the path to open; disposing it lets the cache evict the copy.</summary>
    public sealed class Lease : IDisposable
    {
        private Action? _release;

        internal Lease(string path, Action release)
        {
            Path = path;
            _release = release;
        }

        /// <summary>The local file.</summary>
        public string Path { get; }

        /// <inheritdoc/>
        public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
    }
}
