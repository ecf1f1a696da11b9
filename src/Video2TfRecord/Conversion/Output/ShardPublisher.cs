using Video2TfRecord.Conversion.Run;
using Video2TfRecord.Conversion.RunRecords;

namespace Video2TfRecord.Conversion.Output;

/// <summary>
/// Brings finished shards to their place and keeps manifest.json and the video log in step with them. A folder's
/// shard is in place already and its checkpoint comes at once; a bucket's upload goes on while the next shard is
/// written (at most one upload in flight), and its manifest entry and checkpoint follow once it is up, with the counts
/// as they were when it was written. An interrupted bucket run still uploads a last checkpoint.
/// </summary>
/// <param name="place">Where finished files go.</param>
/// <param name="output">The run's output options (folder, worker).</param>
/// <param name="format">The shards' format, for their side files.</param>
/// <param name="log">The video log, flushed at every checkpoint.</param>
/// <param name="tally">The run's counts; a shard is added to its files once it is up.</param>
/// <param name="manifest">The manifest as it stands now, complete or not.</param>
/// <param name="stop">Stops uploads and checkpoints.</param>
internal sealed class ShardPublisher(OutputPlace place, OutputOptions output, IShardFormat format, VideoLog log, RunTally tally,
    Func<bool, RunManifest> manifest, CancellationToken stop)
{
    private Upload? _uploading;

    /// <summary>Publishes a shard the writer just finished (after the one before it is settled).</summary>
    public async Task PublishAsync(ManifestFile file)
    {
        await SettleAsync().ConfigureAwait(false);
        _uploading = new Upload(file, tally.Totals(), UploadAsync(file));
        if (!place.UploadsInBackground)
        {
            await SettleAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Keeps shard <paramref name="kept"/>, which a previous run finished: its log lines are copied, its missing side
    /// files written again, and a checkpoint follows.
    /// </summary>
    public async Task KeepAsync(int shard, ManifestFile kept)
    {
        await SettleAsync().ConfigureAwait(false);
        tally.AddPrevious(log.CopyShard(shard), kept);
        var missing = new List<string>();
        foreach (var side in format.SideFiles(kept.Name))
        {
            if (!await place.ExistsAsync(side, stop).ConfigureAwait(false))
            {
                missing.Add(side);
            }
        }

        if (missing.Count > 0)
        {
            await place.FetchAsync(kept.Name, stop).ConfigureAwait(false);
            format.RebuildSideFiles(Path.Combine(output.Directory, kept.Name));
            foreach (var side in missing)
            {
                await place.PublishAsync(side, null, keepLocal: false, stop).ConfigureAwait(false);
            }

            place.Discard(kept.Name);
        }

        await CheckpointAsync(complete: false, stop).ConfigureAwait(false);
    }

    /// <summary>Writes and publishes the manifest (not complete) and the log: what a run has before its first shard.</summary>
    public Task CheckpointAsync() => CheckpointAsync(complete: false, stop);

    /// <summary>Waits for the last upload and writes the complete manifest and the finished log.</summary>
    public async Task FinishAsync()
    {
        // The complete checkpoint follows at once: the last shard's own would upload the whole log once more.
        await SettleAsync(checkpoint: false).ConfigureAwait(false);
        await CheckpointAsync(complete: true, stop).ConfigureAwait(false);
    }

    /// <summary>After a failure: waits for an upload in flight to end, whatever it ends with, so nothing outlives the run.</summary>
    public async Task AbandonAsync()
    {
        if (_uploading is { } left)
        {
            _uploading = null;
            await left.Task.ContinueWith(t => _ = t.Exception, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// After an interruption: at most 30 s more for the shard already up and a manifest listing it, the rate limit aside.
    /// The bucket keeps its previous checkpoint if this fails too.
    /// </summary>
    public async Task InterruptedAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            if (_uploading is { Task.IsCompletedSuccessfully: true })
            {
                await SettleAsync(force: true, token: grace.Token).ConfigureAwait(false);
            }
            else
            {
                await AbandonAsync().ConfigureAwait(false);
                await CheckpointAsync(complete: false, grace.Token, force: true).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The interruption is what the user hears about.
        }
    }

    // The shard and then its side files go up; nothing is listed before all are.
    private async Task UploadAsync(ManifestFile file)
    {
        await place.PublishAsync(file.Name, file.Sha256, keepLocal: false, stop).ConfigureAwait(false);
        foreach (var side in format.SideFiles(file.Name))
        {
            // After its shard, so an index never stands beside a record file that is not there.
            await place.PublishAsync(side, null, keepLocal: false, stop).ConfigureAwait(false);
        }
    }

    // Waits for the shard being uploaded, lists it, and checkpoints with the counts of when it was written (not the next
    // shard's, which the writer has counted since).
    private async Task SettleAsync(bool checkpoint = true, bool force = false, CancellationToken? token = null)
    {
        if (_uploading is { } pending)
        {
            _uploading = null;
            await pending.Task.ConfigureAwait(false);
            tally.AddFile(pending.File);
            if (checkpoint)
            {
                await WriteCheckpointAsync(manifest(false) with { Totals = pending.Totals }, token ?? stop, force).ConfigureAwait(false);
            }
        }
    }

    private Task CheckpointAsync(bool complete, CancellationToken token, bool force = false) => WriteCheckpointAsync(manifest(complete), token, force);

    // The video log and the manifest are written between shards, and published (OutputPlace.PublishCheckpointAsync). A
    // full disk there is as fatal as in a record file.
    private async Task WriteCheckpointAsync(RunManifest current, CancellationToken token, bool force)
    {
        var manifestName = OutputFolder.ManifestName(output.Worker);
        var logName = OutputFolder.LogName(output.Worker);
        try
        {
            if (current.Complete)
            {
                log.Complete();
            }
            else
            {
                log.Flush();
            }

            current.Write(output.Directory, manifestName);
        }
        catch (IOException e)
        {
            throw new IOException($"cannot write {manifestName} or {logName} in {output.Directory}: {e.Message}", e);
        }

        await place.PublishCheckpointAsync(manifestName, logName, current.Complete, force, token).ConfigureAwait(false);
    }

    // A shard on its way up, with the run's counts as they were when it was written.
    private sealed record Upload(ManifestFile File, ManifestTotals Totals, Task Task);
}
