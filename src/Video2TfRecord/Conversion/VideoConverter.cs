using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Video2TfRecord.Conversion.Annotations;
using Video2TfRecord.Conversion.Inputs;
using Video2TfRecord.Conversion.Output;
using Video2TfRecord.Conversion.Pipeline;
using Video2TfRecord.Conversion.Remote;
using Video2TfRecord.Conversion.Run;
using Video2TfRecord.Conversion.RunRecords;
using Video2TfRecord.Conversion.Sharding;
using Video2TfRecord.Records;
using Video2TfRecord.TfRecords;
using Video2TfRecord.Video;

namespace Video2TfRecord.Conversion;

/// <summary>
/// Converts a catalog of videos into sharded TFRecord files: the library entry point the command line calls.
/// </summary>
/// <remarks>
/// <para>Videos are converted by <see cref="ConversionOptions.Jobs"/> workers at once and written by one writer in catalog
/// order, so the output is byte-identical for any number of jobs. At most 2 × jobs finished records wait for the
/// writer: memory is bounded by that, never by the number of videos or videos per file.</para>
/// <para>Videos that cannot be read are listed with their reason (<see cref="ConversionResult.Failures"/>, videos.jsonl);
/// the other videos are still written. Every file is written under a temporary name and renamed when complete;
/// manifest.json is rewritten after every finished shard, which is what <c>--resume</c> reads.</para>
/// </remarks>
public static class VideoConverter
{
    /// <summary>The version written into manifest.json.</summary>
    public static string ToolVersion { get; } =
        typeof(VideoConverter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Runs a conversion.</summary>
    /// <param name="options">What to convert and how; validated here.</param>
    /// <param name="progress">Receives counts and notices in catalog order, synchronously, on the writing thread.</param>
    /// <param name="cancellationToken">Stops the run; finished files and the manifest stay, the file being written is removed.</param>
    /// <exception cref="OptionException">Options or paths are wrong, a resumed run does not match, or an output file cannot be written.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public static async Task<ConversionResult> ConvertAsync(ConversionOptions options, IProgress<ConversionProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var fallback = VideoDecoder.FallbackNotice(options.Decoder);
        options.Validate();
        using var storage = await RunStorage.OpenAsync(options, cancellationToken).ConfigureAwait(false);
        (options, var catalog, var labels, var run) = Begin(storage.Options, storage);
        var output = options.Output;
        var place = storage.Output;
        var plan = run.Plan;
        var described = options.Describe(labels.CsvSha256, run.ClipsSha256);
        var fingerprints = (Options: Fingerprint(described), Catalog: InputCatalog.Fingerprint(catalog));
        // Held until the run ends: a second run into the folder is refused at once instead of mixing its files in.
        using var runLock = RunLock.Acquire(output.Directory, output.Worker);
        var finished = await PrepareOutputAsync(place, options, plan, described, fingerprints, cancellationToken).ConfigureAwait(false);
        if (labels.Table is { } table)
        {
            table.WriteJson(Path.Combine(output.Directory, LabelTable.FileName));
            await place.PublishAsync(LabelTable.FileName, null, keepLocal: false, cancellationToken).ConfigureAwait(false);
        }

        var owned = Enumerable.Range(0, plan.ShardCount).Where(s => output.Worker?.Owns(s) ?? true).ToList();
        var tally = new RunTally(owned.Sum(s => plan.EntriesOf(s).End - plan.EntriesOf(s).Start), progress);
        foreach (var shard in owned)
        {
            if (plan.SplitOf(shard) is { } split)
            {
                tally.PlanSplit(split, plan.EntriesOf(shard).End - plan.EntriesOf(shard).Start);
            }
        }

        foreach (var note in run.Notes.Prepend(fallback).OfType<string>())
        {
            tally.Warn(note);
        }

        if (labels.Assignment is { UnmatchedRows.Count: > 0 } assignment)
        {
            var rows = assignment.UnmatchedRows;
            tally.Warn(string.Create(CultureInfo.InvariantCulture,
                $"{rows.Count} rows of {options.Labels.File} match no video: {string.Join(", ", rows.Take(5))}{(rows.Count > 5 ? ", …" : "")}"));
        }

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
        var workers = run.StartWorkers(pending, window, stop.Token);
        tally.Activity = run.Activity.Snapshot;
        (ManifestFile File, ManifestTotals Totals, Task Upload)? uploading = null;

        // The shard and then its index go up; nothing is listed before both are.
        async Task UploadAsync(ManifestFile file, string index)
        {
            await place.PublishAsync(file.Name, file.Sha256, keepLocal: false, stop.Token).ConfigureAwait(false);
            if (output.WriteIndex)
            {
                // After its shard, so an index never stands beside a record file that is not there.
                await place.PublishAsync(index, null, keepLocal: false, stop.Token).ConfigureAwait(false);
            }
        }

        async Task ObserveUploadAsync()
        {
            if (uploading is { } left)
            {
                uploading = null;
                await left.Upload.ContinueWith(t => _ = t.Exception, TaskScheduler.Default).ConfigureAwait(false);
            }
        }

        // At most 30 s more for an interrupted run: the shard already up and the manifest, the rate limit aside.
        async Task FinalCheckpointAsync()
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                if (uploading is { Upload.IsCompletedSuccessfully: true })
                {
                    await SettleAsync(force: true, token: grace.Token).ConfigureAwait(false);
                }
                else
                {
                    await ObserveUploadAsync().ConfigureAwait(false);
                    await CheckpointAsync(place, output, log, Manifest(run, described, fingerprints, tally, complete: false), grace.Token, force: true).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                // The interruption is what the user hears about; the bucket keeps its previous checkpoint.
            }
        }

        // Waits for the shard being uploaded, lists it, and checkpoints (with the counts as they were when it was written,
        // not with the next shard's, which the writer has counted since).
        async Task SettleAsync(bool checkpoint = true, bool force = false, CancellationToken? token = null)
        {
            if (uploading is { } pending)
            {
                uploading = null;
                await pending.Upload.ConfigureAwait(false);
                tally.AddFile(pending.File);
                if (checkpoint)
                {
                    await CheckpointAsync(place, output, log, Manifest(run, described, fingerprints, tally, complete: false) with { Totals = pending.Totals },
                        token ?? stop.Token, force).ConfigureAwait(false);
                }
            }
        }

        try
        {
            if (finished.Count == 0)
            {
                // A manifest from the start: a run killed just after its first file got its name still has one saying
                // what is finished, so --resume continues it rather than refusing a folder of records without one.
                await CheckpointAsync(place, output, log, Manifest(run, described, fingerprints, tally, complete: false), stop.Token).ConfigureAwait(false);
            }

            var position = 0L;
            foreach (var shard in owned)
            {
                var index = TfRecordIndex.PathFor(plan.FileName(shard));
                if (finished.TryGetValue(shard, out var kept))
                {
                    await SettleAsync().ConfigureAwait(false);
                    tally.AddPrevious(log.CopyShard(shard), kept);
                    if (output.WriteIndex && !await place.ExistsAsync(index, stop.Token).ConfigureAwait(false))
                    {
                        await place.FetchAsync(kept.Name, stop.Token).ConfigureAwait(false);
                        TfRecordIndex.Write(Path.Combine(output.Directory, kept.Name));
                        await place.PublishAsync(index, null, keepLocal: false, stop.Token).ConfigureAwait(false);
                        place.Discard(kept.Name);
                    }

                    await CheckpointAsync(place, output, log, Manifest(run, described, fingerprints, tally, complete: false), stop.Token).ConfigureAwait(false);
                }
                else
                {
                    var file = await run.WriteShardAsync(shard, window, position, log, tally, stop.Token).ConfigureAwait(false);
                    position += plan.WrittenOf(shard).Count();
                    // A bucket's upload of this shard goes on while the next one is written; its manifest entry follows
                    // once it is up. A folder's shard is in place already: its checkpoint comes at once.
                    await SettleAsync().ConfigureAwait(false);
                    uploading = (file, tally.Totals(), UploadAsync(file, index));
                    if (!place.UploadsInBackground)
                    {
                        await SettleAsync().ConfigureAwait(false);
                    }
                }
            }

            // The complete checkpoint follows at once: the last shard's own would upload the whole log once more.
            await SettleAsync(checkpoint: false).ConfigureAwait(false);
            await CheckpointAsync(place, output, log, Manifest(run, described, fingerprints, tally, complete: true), stop.Token).ConfigureAwait(false);
            if (output.Layout == RecordLayout.Tfds && output.Worker is null)
            {
                // Only a complete run is a dataset TFDS can read: its metadata is written last.
                WriteTfdsMetadata(options, labels.Table, tally.Files);
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
            await FinalCheckpointAsync().ConfigureAwait(false);
            throw;
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await ObserveUploadAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            // Workers stop at their next frame once cancelled; wait so no decoder outlives the call.
            await Task.WhenAll(workers.Select(w => w.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
            run.RestoreNativeThreads();
        }
    }

    /// <summary>
    /// What <see cref="ConvertAsync"/> would write for <paramref name="options"/>, without decoding a video or touching
    /// the output folder: the catalog (inputs, input list, patterns, shuffle), labels, and the shard plan.
    /// </summary>
    /// <exception cref="OptionException">Options, inputs or labels are wrong, as <see cref="ConvertAsync"/> would say.</exception>
    public static ConversionPlan Plan(ConversionOptions options) => PlanAsync(options).GetAwaiter().GetResult();

    /// <summary>
    /// What <see cref="ConvertAsync"/> would write for <paramref name="options"/>, as <see cref="Plan"/> says; <c>s3://</c>
    /// inputs are listed and CSVs read, nothing is written.
    /// </summary>
    /// <exception cref="OptionException">Options, inputs or labels are wrong, as <see cref="ConvertAsync"/> would say.</exception>
    /// <exception cref="Storage.StorageException">An <c>s3://</c> input or CSV cannot be listed or read.</exception>
    public static async Task<ConversionPlan> PlanAsync(ConversionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var storage = await RunStorage.OpenAsync(options, cancellationToken).ConfigureAwait(false);
        var (_, _, labels, run) = Begin(storage.Options, storage);
        var entries = run.Entries;
        var files = Enumerable.Range(0, run.Plan.ShardCount)
            .Select(shard => new PlannedFile(run.Plan.FileName(shard), shard, run.Plan.WrittenOf(shard)
                .Select(k => (entries[k], labels.For(entries[k])))
                .ToList()))
            .ToList();
        var notPlanned = Enumerable.Range(0, entries.Count).Where(run.Plan.IsExcluded).Select(k => (entries[k], run.NotWritten(k)!.Value.Reason)).ToList();
        return new ConversionPlan(files, notPlanned);
    }

    // What a run and its dry run share: checked options, the catalog, its labels and the shard plan.
    private static (ConversionOptions Resolved, IReadOnlyList<CatalogEntry> Catalog, RunLabels Labels, ConversionRun Run) Begin(ConversionOptions options,
        RunStorage storage)
    {
        options.Validate();
        options = options.Resolve();
        var notes = new List<string>();
        var catalog = Catalog(options.Inputs, notes, storage.Listings);
        var clips = options.Clips.File is { } clipsFile ? ClipTable.Load(clipsFile, options.Clips.SplitColumn, catalog) : null;
        var labels = RunLabels.Resolve(options.Labels, catalog, clips, options.Clips.SplitColumn);
        if (options.Output.Layout == RecordLayout.Tfds)
        {
            TfdsDataset.CheckLabels(labels.Table);
        }

        // Decoder threads share the cores among the videos decoded at once: a single long video still uses every core.
        var decoder = VideoDecoder.Create(options.Decoder, Math.Min(options.Jobs, Math.Max(1, catalog.Count)));
        var items = RunItems.Build(options, catalog, clips, labels, decoder, storage);
        return (options, catalog, labels, new ConversionRun(options, items, labels, decoder, storage)
        {
            Notes = notes,
            ClipsSha256 = clips is null ? null : RunLabels.FileHash(clips.Path, "clips"),
        });
    }

    /// <summary>The videos of a run in the order they are sharded: the inputs (and input list), sorted, then shuffled if asked.</summary>
    /// <exception cref="OptionException">An input does not exist, nothing matched, or two files share a relative path.</exception>
    public static IReadOnlyList<CatalogEntry> Catalog(InputOptions inputs) => Catalog(inputs, null, null);

    private static IReadOnlyList<CatalogEntry> Catalog(InputOptions inputs, ICollection<string>? notes, IReadOnlyDictionary<string, IReadOnlyList<Storage.StoredObject>>? listings)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var catalog = InputCatalog.Build(InputCatalog.WithList(inputs.Paths, inputs.List, inputs.MissingInput), inputs.Patterns, notes, inputs.MissingInput, listings);
        return inputs.ShuffleSeed is { } seed ? InputCatalog.Shuffle(catalog, seed) : catalog;
    }

    // The video log and the manifest are written between shards, and published (OutputPlace.PublishCheckpointAsync). A full
    // disk there is as fatal as in a record file.
    private static async Task CheckpointAsync(OutputPlace place, OutputOptions output, VideoLog log, RunManifest manifest, CancellationToken cancellationToken,
        bool force = false)
    {
        var manifestName = OutputFolder.ManifestName(output.Worker);
        var logName = OutputFolder.LogName(output.Worker);
        try
        {
            if (manifest.Complete)
            {
                log.Complete();
            }
            else
            {
                log.Flush();
            }

            manifest.Write(output.Directory, manifestName);
        }
        catch (IOException e)
        {
            throw new IOException($"cannot write {manifestName} or {logName} in {output.Directory}: {e.Message}", e);
        }

        await place.PublishCheckpointAsync(manifestName, logName, manifest.Complete, force, cancellationToken).ConfigureAwait(false);
    }

    private static void WriteTfdsMetadata(ConversionOptions options, LabelTable? labels, IReadOnlyList<ManifestFile> files)
    {
        try
        {
            TfdsDataset.Write(options, labels, files);
        }
        catch (IOException e)
        {
            throw new IOException($"cannot write {TfdsDataset.DatasetInfoFileName} or {TfdsDataset.FeaturesFileName} in {options.Output.Directory}: {e.Message}", e);
        }
    }

    private static async Task<IReadOnlyDictionary<int, ManifestFile>> PrepareOutputAsync(OutputPlace place, ConversionOptions options, ShardPlan plan,
        IReadOnlyDictionary<string, string> described, (string Options, string Catalog) fingerprints, CancellationToken cancellationToken)
    {
        var output = options.Output;
        var worker = output.Worker;
        var manifestName = OutputFolder.ManifestName(worker);
        var logName = OutputFolder.LogName(worker);
        // A worker owns only its shards' files, its manifest and its log; the whole run owns every file of ours.
        var ownFiles = worker is null ? null : Enumerable.Range(0, plan.ShardCount).Where(worker.Owns)
            .SelectMany(s => new[] { plan.FileName(s), TfRecordIndex.PathFor(plan.FileName(s)) })
            .Append(manifestName).Append(logName)
            .ToHashSet(StringComparer.Ordinal);
        var ours = await place.PrepareAsync(output, ownFiles, manifestName, logName, cancellationToken).ConfigureAwait(false);
        if (!output.Resume)
        {
            return ResumePlan.Fresh.Kept;
        }

        var previous = RunManifest.Read(place.Directory, manifestName);
        var intact = new HashSet<ManifestFile>();
        foreach (var file in previous?.Files ?? [])
        {
            if (await place.IntactAsync(file, cancellationToken).ConfigureAwait(false))
            {
                intact.Add(file);
            }
        }

        var resume = ResumePlan.Decide(place.Name, previous, manifestName, described, fingerprints.Catalog, plan, ours, intact.Contains);
        await place.DeleteAsync(resume.Stale, cancellationToken).ConfigureAwait(false);
        return resume.Kept;
    }

    private static string Fingerprint(IReadOnlyDictionary<string, string> described)
    {
        var text = string.Concat(described.Select(p => $"{p.Key}={p.Value}\n"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static RunManifest Manifest(ConversionRun run, IReadOnlyDictionary<string, string> described,
        (string Options, string Catalog) fingerprints, RunTally tally, bool complete) => new()
        {
            ToolVersion = ToolVersion,
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
