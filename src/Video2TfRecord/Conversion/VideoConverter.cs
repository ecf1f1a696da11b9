using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

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
        (options, var catalog, var labels, var run) = Begin(options);
        var output = options.Output;
        var plan = run.Plan;
        var described = options.Describe(labels.CsvSha256, run.ClipsSha256);
        var fingerprints = (Options: Fingerprint(described), Catalog: InputCatalog.Fingerprint(catalog));
        // Held until the run ends: a second run into the folder is refused at once instead of mixing its files in.
        using var runLock = RunLock.Acquire(output.Directory, output.Worker);
        var finished = PrepareOutput(options, plan, described, fingerprints);
        labels.Table?.WriteJson(Path.Combine(output.Directory, LabelTable.FileName));

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
        try
        {
            var position = 0L;
            foreach (var shard in owned)
            {
                if (finished.TryGetValue(shard, out var kept))
                {
                    tally.AddPrevious(log.CopyShard(shard), kept);
                    var keptPath = Path.Combine(output.Directory, kept.Name);
                    if (output.WriteIndex && !File.Exists(TfRecordIndex.PathFor(keptPath)))
                    {
                        TfRecordIndex.Write(keptPath);
                    }
                }
                else
                {
                    tally.AddFile(await run.WriteShardAsync(shard, window, position, log, tally, stop.Token).ConfigureAwait(false));
                    position += plan.WrittenOf(shard).Count();
                }

                Checkpoint(output, () =>
                {
                    log.Flush();
                    Manifest(run, described, fingerprints, tally, complete: false).Write(output.Directory, OutputFolder.ManifestName(output.Worker));
                });
            }

            Checkpoint(output, () =>
            {
                log.Complete();
                Manifest(run, described, fingerprints, tally, complete: true).Write(output.Directory, OutputFolder.ManifestName(output.Worker));
            });
            if (output.Layout == RecordLayout.Tfds && output.Worker is null)
            {
                // Only a complete run is a dataset TFDS can read: its metadata is written last.
                WriteTfdsMetadata(options, labels.Table, tally.Files);
            }

            return tally.Result(output.Directory, clock.Elapsed) with { InputNotes = run.Notes };
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
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
    public static ConversionPlan Plan(ConversionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (_, catalog, labels, run) = Begin(options);
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
    private static (ConversionOptions Resolved, IReadOnlyList<CatalogEntry> Catalog, RunLabels Labels, ConversionRun Run) Begin(ConversionOptions options)
    {
        options.Validate();
        options = options.Resolve();
        var notes = new List<string>();
        var catalog = Catalog(options.Inputs, notes);
        var clips = options.Clips.File is { } clipsFile ? ClipTable.Load(clipsFile, options.Clips.SplitColumn, catalog) : null;
        var labels = RunLabels.Resolve(options.Labels, catalog, clips, options.Clips.SplitColumn);
        if (options.Output.Layout == RecordLayout.Tfds)
        {
            TfdsDataset.CheckLabels(labels.Table);
        }

        // Decoder threads share the cores among the videos decoded at once: a single long video still uses every core.
        var decoder = VideoDecoder.Create(options.Decoder, Math.Min(options.Jobs, Math.Max(1, catalog.Count)));
        var items = RunItems.Build(options, catalog, clips, labels, decoder);
        return (options, catalog, labels, new ConversionRun(options, items, labels, decoder)
        {
            Notes = notes,
            ClipsSha256 = clips is null ? null : RunLabels.FileHash(clips.Path, "clips"),
        });
    }

    /// <summary>The videos of a run in the order they are sharded: the inputs (and input list), sorted, then shuffled if asked.</summary>
    /// <exception cref="OptionException">An input does not exist, nothing matched, or two files share a relative path.</exception>
    public static IReadOnlyList<CatalogEntry> Catalog(InputOptions inputs) => Catalog(inputs, null);

    private static IReadOnlyList<CatalogEntry> Catalog(InputOptions inputs, ICollection<string>? notes)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var catalog = InputCatalog.Build(InputCatalog.WithList(inputs.Paths, inputs.List, inputs.MissingInput), inputs.Patterns, notes, inputs.MissingInput);
        return inputs.ShuffleSeed is { } seed ? InputCatalog.Shuffle(catalog, seed) : catalog;
    }

    // The video log and the manifest are written between shards; a full disk there is as fatal as in a record file.
    private static void Checkpoint(OutputOptions output, Action write)
    {
        try
        {
            write();
        }
        catch (IOException e)
        {
            throw new IOException($"cannot write {OutputFolder.ManifestName(output.Worker)} or {OutputFolder.LogName(output.Worker)} in {output.Directory}: {e.Message}", e);
        }
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

    private static IReadOnlyDictionary<int, ManifestFile> PrepareOutput(ConversionOptions options, ShardPlan plan,
        IReadOnlyDictionary<string, string> described, (string Options, string Catalog) fingerprints)
    {
        var output = options.Output;
        var directory = output.Directory;
        var worker = output.Worker;
        var manifestName = OutputFolder.ManifestName(worker);
        var logName = OutputFolder.LogName(worker);
        // A worker owns only its shards' files, its manifest and its log; the whole run owns every file of ours.
        var ownFiles = worker is null ? null : Enumerable.Range(0, plan.ShardCount).Where(worker.Owns)
            .SelectMany(s => new[] { plan.FileName(s), TfRecordIndex.PathFor(plan.FileName(s)) })
            .Append(manifestName).Append(logName)
            .ToHashSet(StringComparer.Ordinal);
        bool Ours(string name) => ownFiles?.Contains(name) ?? OutputFolder.IsRecordFile(name);
        if (ownFiles is not null)
        {
            OutputFolder.PrepareForWorker(directory, output.Overwrite, output.Resume, ownFiles, logName);
        }
        else if (output.Resume)
        {
            OutputFolder.PrepareForResume(directory);
        }
        else
        {
            OutputFolder.Prepare(directory, output.Overwrite);
        }

        if (!output.Resume)
        {
            return ResumePlan.Fresh.Kept;
        }

        var ours = Directory.EnumerateFiles(directory).Select(Path.GetFileName).OfType<string>().Where(name => OutputFolder.IsRecordFile(name) && Ours(name)).ToList();
        var resume = ResumePlan.Decide(directory, RunManifest.Read(directory, manifestName), manifestName, described, fingerprints.Catalog, plan, ours,
            file => file.Mismatch(directory) is null);
        foreach (var name in resume.Stale)
        {
            File.Delete(Path.Combine(directory, name));
        }

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
