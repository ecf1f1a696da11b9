using Video2TfRecord.Storage;

namespace Video2TfRecord.Conversion;

/// <summary>
/// An output under an <c>s3://bucket/prefix</c>: files are written into a local staging folder and uploaded when
/// finished, each under its final name only once its upload is complete. A shard's local copy is deleted once it is
/// uploaded, so the staging folder holds the shard being written and the one being uploaded, never the run.
/// </summary>
internal sealed class BucketOutput(ObjectStore store, S3Location prefix, string staging) : OutputPlace
{
    private readonly S3Location _prefix = prefix.AsFolder();
    private Dictionary<string, StoredObject> _listed = new(StringComparer.Ordinal);

    public override string Directory { get; } = staging;

    public override string Name => _prefix.ToString();

    public override async Task<IReadOnlyList<string>> PrepareAsync(OutputOptions output, IReadOnlySet<string>? ownFiles, string manifestName, string logName,
        CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        _listed = (await store.ListAsync(_prefix, recursive: false, cancellationToken).ConfigureAwait(false))
            .ToDictionary(o => o.Location.Name, StringComparer.Ordinal);
        // Ours: what a folder's Prepare counts, and the video log and manifest parts a run uploads while it goes.
        bool Ours(string name) => ownFiles?.Contains(name) ?? OutputFolder.IsOurs(name);
        var ours = _listed.Keys.Where(n => Ours(n) || (n.StartsWith('.') && n.EndsWith(Temporary(""), StringComparison.Ordinal)
            && Ours(n[1..^Temporary("").Length]))).Order(StringComparer.Ordinal).ToList();
        if (ours.Count > 0 && !output.Overwrite && !output.Resume)
        {
            throw OutputFolder.PreviousRun($"output {Name}", ours);
        }

        if (output.Overwrite)
        {
            await DeleteAsync(ours, cancellationToken).ConfigureAwait(false);
        }

        // A run that cannot write should say so before it decodes anything: no bucket, no credentials, no permission.
        var probe = $".write-test-{Environment.ProcessId}-{Guid.NewGuid():N}{Temporary("")}";
        await File.WriteAllBytesAsync(Path.Combine(Directory, probe), [], cancellationToken).ConfigureAwait(false);
        await PublishAsync(probe, null, keepLocal: false, cancellationToken).ConfigureAwait(false);
        await store.DeleteAsync([_prefix.Child(probe)], cancellationToken).ConfigureAwait(false);

        if (output.Resume)
        {
            foreach (var name in new[] { manifestName, _listed.ContainsKey(Temporary(logName)) ? Temporary(logName) : logName })
            {
                if (_listed.ContainsKey(name))
                {
                    await FetchAsync(name, cancellationToken).ConfigureAwait(false);
                }
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

        // The SHA-256 was recorded at upload: the object is not read again.
        var head = await store.HeadAsync(_prefix.Child(file.Name), cancellationToken).ConfigureAwait(false);
        return head is not null && head.Size == file.Bytes && string.Equals(head.Sha256, file.Sha256, StringComparison.Ordinal);
    }

    public override async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) =>
        await store.HeadAsync(_prefix.Child(name), cancellationToken).ConfigureAwait(false) is not null;

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
