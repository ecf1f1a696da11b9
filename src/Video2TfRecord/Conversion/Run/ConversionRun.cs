using Video2TfRecord.Conversion.Annotations;
using Video2TfRecord.Conversion.Inputs;
using Video2TfRecord.Conversion.Output;
using Video2TfRecord.Conversion.Remote;
using Video2TfRecord.Conversion.Sharding;
using Video2TfRecord.Records;
using Video2TfRecord.Video;

namespace Video2TfRecord.Conversion.Run;

/// <summary>
/// What a run and its dry run share, decided before anything is decoded or written: the resolved options, the
/// catalog, its labels, the entries (videos or clips), the layout, the shard format and plan, and the decoder.
/// </summary>
internal sealed class ConversionRun
{
    private ConversionRun(ConversionOptions options, IReadOnlyList<CatalogEntry> catalog, RunLabels labels, RunItems items, IVideoDecoder decoder,
        RunStorage? storage)
    {
        Options = options;
        Catalog = catalog;
        Labels = labels;
        Items = items;
        Decoder = decoder;
        Storage = storage;
        var output = options.Output;
        Layout = RecordLayouts.For(output.Layout);
        Format = TfRecordShardFormat.For(output);
        Plan = new ShardPlan(items.NotWritten.Select(n => n is not null).ToList(), items.Groups, output.VideosPerFile,
            (split, shard, count) => Layout.FileName(output.Prefix, split ?? output.SplitName, shard, count, Format.Extension));
    }

    /// <summary>The options, validated and resolved (no <c>auto</c> encodings left).</summary>
    public ConversionOptions Options { get; }

    /// <summary>The videos, in catalog order.</summary>
    public IReadOnlyList<CatalogEntry> Catalog { get; }

    /// <summary>The labels, captions and videos left out for want of a label.</summary>
    public RunLabels Labels { get; }

    /// <summary>What gets a record, in shard order.</summary>
    public RunItems Items { get; }

    /// <summary>The entries of the run in shard order: videos, or clips of them.</summary>
    public IReadOnlyList<CatalogEntry> Entries => Items.Entries;

    /// <summary>The record layout.</summary>
    public IRecordLayout Layout { get; }

    /// <summary>The shards' file format.</summary>
    public IShardFormat Format { get; }

    /// <summary>Which entries go to which file.</summary>
    public ShardPlan Plan { get; }

    /// <summary>The decoder backend the workers use.</summary>
    public IVideoDecoder Decoder { get; }

    /// <summary>The run's <c>s3://</c> paths made local, or null when nothing is remote.</summary>
    public RunStorage? Storage { get; }

    /// <summary>What building the catalog found that a user should know (symlinked folders followed, loops skipped).</summary>
    public IReadOnlyList<string> Notes { get; private init; } = [];

    /// <summary>The SHA-256 of the clips CSV, when the run has one (for the options fingerprint).</summary>
    public string? ClipsSha256 { get; private init; }

    /// <summary>The <c>s3://</c> output the run writes to, or null for a folder.</summary>
    public string? Remote => Storage?.RemoteOutput;

    /// <summary>Why entry <paramref name="position"/> is listed and not written, or null when it is converted.</summary>
    public (VideoStatus Status, string Reason)? NotWritten(int position) => Items.NotWritten[position];

    /// <summary>
    /// Validates and resolves <paramref name="options"/>, builds the catalog (listings of <c>s3://</c> prefixes from
    /// <paramref name="storage"/>), reads the labels and clips, makes the entries and the plan.
    /// </summary>
    /// <exception cref="OptionException">Options, inputs, labels or clips are wrong.</exception>
    public static async Task<ConversionRun> CreateAsync(ConversionOptions options, RunStorage storage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        options.Validate();
        options = options.Resolve();
        var notes = new List<string>();
        var catalog = OutsideOutput(VideoConverter.Catalog(options.Inputs, notes, storage.InputListings), options.Output.Directory);
        var clips = options.Clips.File is { } clipsFile ? ClipTable.Load(clipsFile, options.Clips.SplitColumn, catalog) : null;
        var labels = RunLabels.Resolve(options.Labels, catalog, clips, options.Clips.SplitColumn);
        if (options.Output.Layout == RecordLayout.Tfds)
        {
            TfdsDataset.CheckLabels(labels.Table);
        }

        // Decoder threads share the cores among the videos decoded at once: a single long video still uses every core.
        var decoder = VideoDecoder.Create(options.Decoder, Math.Min(options.Jobs, Math.Max(1, catalog.Count)));
        var items = await RunItems.BuildAsync(options, catalog, clips, labels, decoder, storage, cancellationToken).ConfigureAwait(false);
        // Workers beyond the records only cost memory (each has a pipeline and the reorder window two slots): --jobs
        // 100000000 for 3 videos took 90 s and 10000000 took 2.1 GB before this cap (issue 23).
        options = options with { Jobs = Math.Min(options.Jobs, Math.Max(1, items.Entries.Count)) };
        return new ConversionRun(options, catalog, labels, items, decoder, storage)
        {
            Notes = notes,
            ClipsSha256 = clips?.Sha256,
        };
    }

    // The output folder is never an input: inside an input folder walked with --pattern '*', a run would take its own
    // manifest and records for videos (and --resume would always find the catalog changed).
    private static IReadOnlyList<CatalogEntry> OutsideOutput(IReadOnlyList<CatalogEntry> catalog, string output)
    {
        if (RunStorage.IsRemote(output))
        {
            return catalog;
        }

        var folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(output)) + "/";
        return catalog.Any(entry => !RunStorage.IsRemote(entry.FullPath) && Path.GetFullPath(entry.FullPath).StartsWith(folder, StringComparison.Ordinal))
            ? [.. catalog.Where(entry => RunStorage.IsRemote(entry.FullPath) || !Path.GetFullPath(entry.FullPath).StartsWith(folder, StringComparison.Ordinal))]
            : catalog;
    }
}
