using Video2TfRecord.Conversion.Output;
using Video2TfRecord.Conversion.RunRecords;
using Video2TfRecord.Storage;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Conversion.Remote;

/// <summary>
/// An output under an <c>s3://bucket/prefix</c>: files are written into a local staging folder and uploaded when
/// finished, each under its final name only once its upload is complete. A shard's local copy is deleted once it is
/// uploaded, so the staging folder holds the shard being written and the one being uploaded, never the run.
/// </summary>
/// <remarks>
/// A checkpoint (the video log as it stands, then the manifest, so the two always agree) goes up at most every
/// <paramref name="checkpointInterval"/>, and never sooner than nine times its last upload took after it (an interval
/// of 0: after every shard, whatever it costs): the log
/// grows with the run (a million videos make about a gigabyte), and uploading it stays under a tenth of the run's
/// time. The end of the run always uploads. A kill between two checkpoints costs the shards finished since the last
/// one, which resume redoes (their objects are not in the manifest).
/// </remarks>
internal sealed class BucketOutput(ObjectStore store, S3Location prefix, string staging, TimeSpan checkpointInterval) : OutputPlace
{
    private readonly S3Location _prefix = prefix.AsFolder();
    private Dictionary<string, StoredObject> _listed = new(StringComparer.Ordinal);
    private DateTime _nextCheckpoint = DateTime.MinValue;
    private PrefixLease? _lease;

    public override bool UploadsInBackground => true;

    public override string Directory { get; } = staging;

    public override string Name => _prefix.ToString();

    public override async Task<IReadOnlyList<string>> PrepareAsync(OutputOptions output, IReadOnlySet<string>? ownFiles, string manifestName, string logName,
        CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        // A run that cannot write should say so before it deletes or decodes anything: no bucket, no credentials, no permission.
        var probe = $".write-test-{Environment.ProcessId}-{Guid.NewGuid():N}{AtomicFile.TemporarySuffix}";
        await File.WriteAllBytesAsync(Path.Combine(Directory, probe), [], cancellationToken).ConfigureAwait(false);
        try
        {
            await PublishAsync(probe, null, keepLocal: false, cancellationToken).ConfigureAwait(false);
            await store.DeleteAsync([_prefix.Child(probe)], cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException e) when (e.InnerException is { } cause)
        {
            // Said of the output, not of the probe's name.
            throw new StorageException($"{Name}: {ObjectStore.Describe(cause, _prefix.Bucket)}", e);
        }

        // Claimed before anything is deleted or uploaded: a second run into the prefix at once is refused, naming the first.
        _lease = new PrefixLease(store, _prefix, output.Worker);
        await _lease.ClaimAsync(cancellationToken).ConfigureAwait(false);
        _listed = (await store.ListAsync(_prefix, recursive: false, cancellationToken).ConfigureAwait(false))
            .ToDictionary(o => o.Location.Name, StringComparer.Ordinal);
        // Ours: what a folder's Prepare counts, and the video logs a run uploads under their temporary names while it goes.
        bool Ours(string name) => ownFiles?.Contains(name) ?? OutputFolder.IsOurs(name);
        var suffix = AtomicFile.TemporarySuffix;
        var ours = _listed.Keys.Where(n => Ours(n) || (n.Length > suffix.Length + 1 && n.StartsWith('.') && n.EndsWith(suffix, StringComparison.Ordinal)
            && Ours(n[1..^suffix.Length]))).Order(StringComparer.Ordinal).ToList();
        if (ours.Count > 0 && !output.Overwrite && !output.Resume)
        {
            throw OutputFolder.PreviousRun($"output {Name}", ours);
        }

        if (output.Overwrite)
        {
            await DeleteAsync(ours, cancellationToken).ConfigureAwait(false);
        }

        if (output.Resume)
        {
            if (_listed.ContainsKey(manifestName))
            {
                await FetchAsync(manifestName, cancellationToken).ConfigureAwait(false);
            }

            // The previous log: the one of an unfinished run (.NAME.partial), as VideoLog looks for it, else the whole one.
            if (_listed.ContainsKey(AtomicFile.TemporaryName(logName)))
            {
                await FetchAsync(AtomicFile.TemporaryName(logName), cancellationToken).ConfigureAwait(false);
            }
            else if (_listed.ContainsKey(logName))
            {
                await FetchAsync(logName, cancellationToken).ConfigureAwait(false);
            }
        }

        return _listed.Keys.Where(n => OutputFolder.IsRecordFile(n) && (ownFiles?.Contains(n) ?? true)).ToList();
    }

    public override async Task<bool> IntactAsync(ManifestFile file, CancellationToken cancellationToken)
    {
        if (!_listed.TryGetValue(file.Name, out var listed) || listed.Size != file.Bytes)
        {
            return false;
        }

        // The SHA-256 recorded at upload, else (a copy made by a tool that drops metadata) the object read and hashed.
        var head = await store.HeadAsync(_prefix.Child(file.Name), cancellationToken).ConfigureAwait(false);
        if (head is null || head.Size != file.Bytes)
        {
            return false;
        }

        if (head.Sha256 is { } recorded)
        {
            return string.Equals(recorded, file.Sha256, StringComparison.Ordinal);
        }

        await FetchAsync(file.Name, cancellationToken).ConfigureAwait(false);
        try
        {
            return file.Mismatch(Directory) is null;
        }
        finally
        {
            Discard(file.Name);
        }
    }

    public override async Task PublishCheckpointAsync(string manifestName, string logName, bool complete, bool force, CancellationToken cancellationToken)
    {
        var start = DateTime.UtcNow;
        if (!complete && !force && start < _nextCheckpoint)
        {
            return;
        }

        await PublishAsync(complete ? logName : AtomicFile.TemporaryName(logName), null, keepLocal: true, cancellationToken).ConfigureAwait(false);
        await PublishAsync(manifestName, null, keepLocal: true, cancellationToken).ConfigureAwait(false);
        if (complete)
        {
            await DeleteAsync([AtomicFile.TemporaryName(logName)], cancellationToken).ConfigureAwait(false);
            // The end: still this run's output, then given up.
            if (_lease is not null)
            {
                await _lease.CheckAsync(cancellationToken).ConfigureAwait(false);
                await _lease.ReleaseAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        // An interval of 0 asks for every shard's checkpoint, whatever it costs.
        var end = DateTime.UtcNow;
        _nextCheckpoint = checkpointInterval == TimeSpan.Zero ? DateTime.MinValue : end + TimeSpan.FromTicks(Math.Max(checkpointInterval.Ticks, 9 * (end - start).Ticks));
    }

    public override async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) =>
        await store.HeadAsync(_prefix.Child(name), cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>Gives up the claim on the prefix when this run still holds it (the run ended, however it ended).</summary>
    public async Task ReleaseAsync()
    {
        if (_lease is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _lease.ReleaseAsync(timeout.Token).ConfigureAwait(false);
        }
    }

    public override Task FetchAsync(string name, CancellationToken cancellationToken) =>
        store.DownloadAsync(_prefix.Child(name), Path.Combine(Directory, name), cancellationToken);

    public override void Discard(string name) => File.Delete(Path.Combine(Directory, name));

    public override Task DeleteAsync(IReadOnlyList<string> names, CancellationToken cancellationToken) =>
        store.DeleteAsync(names.Select(_prefix.Child).ToList(), cancellationToken);

    private async Task ForgetAsync(string name)
    {
        try
        {
            await store.DeleteAsync([_prefix.Child(name)], CancellationToken.None).ConfigureAwait(false);
        }
        catch (StorageException)
        {
            // The failure being reported says more than this one would.
        }
    }

    public override async Task PublishAsync(string name, string? sha256, bool keepLocal, CancellationToken cancellationToken)
    {
        var local = Path.Combine(Directory, name);
        if (_lease is not null)
        {
            // Another run that took the prefix (a store without conditional writes, a stale claim taken over) stops this one here.
            await _lease.CheckAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await store.UploadAsync(local, _prefix.Child(name), sha256, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (sha256 is not null && e is StorageException or OperationCanceledException)
        {
            // A record file's name must hold the whole file or nothing: S3 leaves nothing after a failed upload, but a
            // compatible store may keep what arrived. (A manifest's name keeps its previous version: it is not deleted.)
            await ForgetAsync(name).ConfigureAwait(false);
            throw;
        }

        if (!keepLocal)
        {
            File.Delete(local);
        }
    }
}
