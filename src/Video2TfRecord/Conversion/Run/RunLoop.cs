using System.Diagnostics;
using System.Globalization;
using Video2TfRecord.Conversion.Annotations;
using Video2TfRecord.Conversion.Output;
using Video2TfRecord.Conversion.Pipeline;
using Video2TfRecord.Conversion.Remote;
using Video2TfRecord.Conversion.RunRecords;
using Video2TfRecord.Records;

namespace Video2TfRecord.Conversion.Run;

/// <summary>
/// A conversion from its prepared run to its result: the run lock, the output folder (and what <c>--resume</c>
/// keeps), labels.json, the workers, the ordered writer shard by shard, the publisher's uploads and checkpoints, and
/// TFDS's metadata at the end. What <see cref="VideoConverter.ConvertAsync"/> runs.
/// </summary>
internal static class RunLoop
{
    /// <summary>Runs <paramref name="run"/>, its output in <paramref name="storage"/>'s place.</summary>
    /// <param name="run">The prepared run.</param>
    /// <param name="storage">The run's storage: where files go.</param>
    /// <param name="fallbackNotice">The decoder's fallback notice, warned first, or null.</param>
    /// <param name="progress">Receives counts and notices in catalog order.</param>
    /// <param name="clock">Started when the conversion was asked for.</param>
    /// <param name="cancellationToken">Stops the run; finished files and the manifest stay.</param>
    public static async Task<ConversionResult> RunAsync(ConversionRun run, RunStorage storage, string? fallbackNotice, IProgress<ConversionProgress>? progress,
        Stopwatch clock, CancellationToken cancellationToken)
    {
        var options = run.Options;
        var output = options.Output;
        var place = storage.Output;
        var plan = run.Plan;
        var labels = run.Labels;
        var described = options.Describe(labels.CsvSha256, run.ClipsSha256);
        var fingerprints = RunFingerprints.Of(described, run.Catalog);
        // Held until the run ends: a second run into the folder is refused at once instead of mixing its files in.
        using var runLock = RunLock.Acquire(output.Directory, output.Worker);
        var finished = await OutputPreparation.PrepareAsync(place, output, plan, run.Format, described, fingerprints, cancellationToken).ConfigureAwait(false);
        if (labels.Table is { } table)
        {
            table.WriteJson(Path.Combine(output.Directory, LabelTable.FileName));
            await place.PublishAsync(LabelTable.FileName, null, keepLocal: false, cancellationToken).ConfigureAwait(false);
        }

        var owned = Enumerable.Range(0, plan.ShardCount).Where(s => output.Worker?.Owns(s) ?? true).ToList();
        var tally = Tally(run, owned, fallbackNotice, progress);
        var pending = new List<int>();
        foreach (var shard in owned)
        {
            if (!finished.ContainsKey(shard))
            {
                pending.AddRange(plan.WrittenOf(shard));
            }
        }

        using var log = VideoLog.Open(output.Directory, output.Resume, OutputFolder.LogName(output.Worker));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var window = new ReorderWindow<VideoOutcome>(2 * options.Jobs);
        var publisher = new ShardPublisher(place, output, run.Format, log, tally, complete => Manifest(run, described, fingerprints, tally, complete), stop.Token);
        using var workers = new RunWorkers(run, pending, window, stop.Token);
        tally.Activity = workers.Activity.Snapshot;
        var writer = new ShardWriter(plan, run.Items, run.Format, output.Directory);
        try
        {
            if (finished.Count == 0)
            {
                // A manifest from the start: a run killed just after its first file got its name still has one saying
                // what is finished, so --resume continues it rather than refusing a folder of records without one.
                await publisher.CheckpointAsync().ConfigureAwait(false);
            }

            var position = 0L;
            foreach (var shard in owned)
            {
                if (finished.TryGetValue(shard, out var kept))
                {
                    await publisher.KeepAsync(shard, kept).ConfigureAwait(false);
                }
                else
                {
                    var file = await writer.WriteAsync(shard, window, position, log, tally, stop.Token).ConfigureAwait(false);
                    position += plan.WrittenOf(shard).Count();
                    await publisher.PublishAsync(file).ConfigureAwait(false);
                }
            }

            await publisher.FinishAsync().ConfigureAwait(false);
            if (output.Layout == RecordLayout.Tfds && output.Worker is null)
            {
                // Only a complete run is a dataset TFDS can read: its metadata is written last.
                WriteTfdsMetadata(options, labels.Table, tally.Files, run.Format);
                foreach (var name in TfdsDataset.MetadataFiles.Where(name => File.Exists(Path.Combine(output.Directory, name))))
                {
                    await place.PublishAsync(name, null, keepLocal: false, stop.Token).ConfigureAwait(false);
                }
            }

            return tally.Result(place.Name, clock.Elapsed) with { InputNotes = run.Notes };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && place.UploadsInBackground)
        {
            // Interrupted (SIGINT, SIGTERM): the manifest in the bucket should say what is done, as a folder's does. A shard
            // already up is listed; one still uploading is cancelled, and what it left under its name is deleted.
            await stop.CancelAsync().ConfigureAwait(false);
            await publisher.InterruptedAsync().ConfigureAwait(false);
            throw;
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await publisher.AbandonAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            // Workers stop at their next frame once cancelled; wait so no decoder outlives the call.
            await workers.StoppedAsync().ConfigureAwait(false);
        }
    }

    // The counts of the shards this run (or worker) owns, with the notes a user should read before the first video.
    private static RunTally Tally(ConversionRun run, List<int> owned, string? fallbackNotice, IProgress<ConversionProgress>? progress)
    {
        var plan = run.Plan;
        var tally = new RunTally(owned.Sum(s => plan.EntriesOf(s).End - plan.EntriesOf(s).Start), progress);
        foreach (var shard in owned)
        {
            if (plan.SplitOf(shard) is { } split)
            {
                tally.PlanSplit(split, plan.EntriesOf(shard).End - plan.EntriesOf(shard).Start);
            }
        }

        foreach (var note in run.Notes.Prepend(fallbackNotice).OfType<string>())
        {
            tally.Warn(note);
        }

        if (run.Labels.Assignment is { UnmatchedRows.Count: > 0 } assignment)
        {
            var rows = assignment.UnmatchedRows;
            tally.Warn(string.Create(CultureInfo.InvariantCulture,
                $"{rows.Count} rows of {run.Options.Labels.File} match no video: {string.Join(", ", rows.Take(5))}{(rows.Count > 5 ? ", …" : "")}"));
        }

        return tally;
    }

    private static void WriteTfdsMetadata(ConversionOptions options, LabelTable? labels, IReadOnlyList<ManifestFile> files, IShardFormat format)
    {
        try
        {
            TfdsDataset.Write(options, labels, files, format);
        }
        catch (IOException e)
        {
            throw new IOException($"cannot write {TfdsDataset.DatasetInfoFileName} or {TfdsDataset.FeaturesFileName} in {options.Output.Directory}: {e.Message}", e);
        }
    }

    private static RunManifest Manifest(ConversionRun run, IReadOnlyDictionary<string, string> described, RunFingerprints fingerprints, RunTally tally,
        bool complete) => new()
        {
            ToolVersion = VideoConverter.ToolVersion,
            Output = run.Remote,
            Decoder = run.Decoder.Versions,
            Options = described,
            OptionsFingerprint = fingerprints.Options,
            CatalogFingerprint = fingerprints.Catalog,
            Shards = run.Plan.ShardCount,
            Files = tally.Files,
            Totals = tally.Totals(),
            Complete = complete,
        };
}
