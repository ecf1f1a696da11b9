using System.Diagnostics;
using System.Reflection;
using Video2TfRecord.Conversion.Inputs;
using Video2TfRecord.Conversion.Remote;
using Video2TfRecord.Conversion.Run;
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
        var run = await ConversionRun.CreateAsync(storage.Options, storage, cancellationToken).ConfigureAwait(false);
        return await RunLoop.RunAsync(run, storage, fallback, progress, clock, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// What <see cref="ConvertAsync"/> would write for <paramref name="options"/>, without decoding a video or touching
    /// the output: the catalog (inputs, input list, patterns, shuffle), labels, clips (fixed windows count packets), and
    /// the shard plan; <c>s3://</c> inputs are listed and CSVs read, nothing is written.
    /// </summary>
    /// <exception cref="OptionException">Options, inputs or labels are wrong, as <see cref="ConvertAsync"/> would say.</exception>
    /// <exception cref="Storage.StorageException">An <c>s3://</c> input or CSV cannot be listed or read.</exception>
    public static async Task<ConversionPlan> PlanAsync(ConversionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var storage = await RunStorage.OpenAsync(options, cancellationToken).ConfigureAwait(false);
        var run = await ConversionRun.CreateAsync(storage.Options, storage, cancellationToken).ConfigureAwait(false);
        var entries = run.Entries;
        var files = Enumerable.Range(0, run.Plan.ShardCount)
            .Select(shard => new PlannedFile(run.Plan.FileName(shard), shard, run.Plan.WrittenOf(shard)
                .Select(k => new PlannedVideo(entries[k], run.Labels.For(entries[k])))
                .ToList()))
            .ToList();
        var notPlanned = Enumerable.Range(0, entries.Count).Where(run.Plan.IsExcluded).Select(k => new NotPlannedVideo(entries[k], run.NotWritten(k)!.Value.Reason)).ToList();
        return new ConversionPlan(files, notPlanned);
    }

    /// <summary>The videos of a run in the order they are sharded: the inputs (and input list), sorted, then shuffled if asked.</summary>
    /// <exception cref="OptionException">An input does not exist, nothing matched, or two files share a relative path.</exception>
    public static IReadOnlyList<CatalogEntry> Catalog(InputOptions inputs) => Catalog(inputs, null, null);

    internal static IReadOnlyList<CatalogEntry> Catalog(InputOptions inputs, ICollection<string>? notes, IReadOnlyDictionary<string, RemoteListing>? listings)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var catalog = InputCatalog.Build(InputCatalog.WithList(inputs.Paths, inputs.List, inputs.MissingInput), inputs.Patterns, notes, inputs.MissingInput, listings);
        if (inputs.GivenNames.Count > 0)
        {
            catalog = [.. catalog.Select(entry => inputs.GivenNames.TryGetValue(entry.RelativePath, out var given) ? entry with { GivenName = given } : entry)];
        }

        return inputs.ShuffleSeed is { } seed ? InputCatalog.Shuffle(catalog, seed) : catalog;
    }
}
