using System.Collections.Concurrent;
using System.Globalization;
using Video2TfRecord.Conversion.Annotations;
using Video2TfRecord.Conversion.Inputs;
using Video2TfRecord.Conversion.Remote;
using Video2TfRecord.Frames;
using Video2TfRecord.Records;
using Video2TfRecord.Sampling;
using Video2TfRecord.Storage;
using Video2TfRecord.Video;

namespace Video2TfRecord.Conversion.Sharding;

/// <summary>
/// What a run writes one record each for, in shard order: whole videos, or clips of them (a clips CSV, or fixed windows);
/// grouped by split when the annotations name splits; and the entries that are listed but not written, with their reason.
/// Decided before anything is written, so the shard plan (and every worker's share of it) is fixed.
/// </summary>
internal sealed class RunItems
{
    private RunItems(List<CatalogEntry> entries, List<(VideoStatus, string)?> notWritten, List<ShardGroup> groups)
    {
        Entries = entries;
        NotWritten = notWritten;
        Groups = groups;
    }

    /// <summary>The entries in shard order.</summary>
    public IReadOnlyList<CatalogEntry> Entries { get; }

    /// <summary>For each entry, why it is listed and not written (status and reason), or null when it is converted.</summary>
    public IReadOnlyList<(VideoStatus Status, string Reason)?> NotWritten { get; }

    /// <summary>The splits, in order (one unnamed group without splits).</summary>
    public IReadOnlyList<ShardGroup> Groups { get; }

    /// <summary>Whether records are split into file sets.</summary>
    public bool HasSplits => Groups is not [{ Split: null }];

    /// <summary>Builds the entries of a run.</summary>
    /// <param name="options">Resolved options.</param>
    /// <param name="catalog">The videos.</param>
    /// <param name="clips">The clips CSV, when <c>--clips</c> is given.</param>
    /// <param name="labels">The run's labels.</param>
    /// <param name="decoder">Probes the videos' durations for <c>--clip-length</c>.</param>
    /// <param name="storage">Gives the probes local files of <c>s3://</c> videos; null when every video is local.</param>
    /// <exception cref="OptionException">Split names break the layout's rules, or clips are wrong as <see cref="ClipTable.Expand"/> says.</exception>
    public static RunItems Build(ConversionOptions options, IReadOnlyList<CatalogEntry> catalog, ClipTable? clips, RunLabels labels, IVideoDecoder decoder,
        RunStorage? storage = null)
    {
        var entries = new List<CatalogEntry>();
        var notWritten = new List<(VideoStatus, string)?>();
        if (clips is not null)
        {
            foreach (var (entry, missing) in clips.Entries)
            {
                entries.Add(entry);
                notWritten.Add(missing is null ? null : (VideoStatus.Skipped, missing));
            }
        }
        else if (options.Clips.Length is { } length)
        {
            Windows(options, catalog, Microseconds(length), Microseconds(options.Clips.Stride ?? length), decoder, storage, entries, notWritten);
        }
        else
        {
            entries.AddRange(catalog);
            notWritten.AddRange(catalog.Select(_ => ((VideoStatus, string)?)null));
        }

        for (var i = 0; i < entries.Count; i++)
        {
            if (notWritten[i] is null && labels.IsExcluded(entries[i]))
            {
                notWritten[i] = (VideoStatus.Skipped, RunLabels.MissingReason);
            }
        }

        return Split(options, entries, notWritten, clips, labels);
    }

    private static long Microseconds(decimal seconds) => (long)Math.Round(seconds * 1_000_000m, MidpointRounding.ToEven);

    // Every video cut into fixed windows: its duration comes from counting its packets (no decoding), --jobs at once.
    private static void Windows(ConversionOptions options, IReadOnlyList<CatalogEntry> catalog, long lengthUs, long strideUs, IVideoDecoder decoder, RunStorage? storage,
        List<CatalogEntry> entries, List<(VideoStatus, string)?> notWritten)
    {
        NativeDecoderLog.EnsureSilenced();
        var probed = new ConcurrentDictionary<int, (long DurationUs, string? Failure)>();
        Parallel.For(0, catalog.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Jobs }, k =>
        {
            try
            {
                var file = catalog[k].FullPath;
                using var lease = storage?.Acquire(catalog[k], CancellationToken.None, out file);
                using var video = decoder.Open(file, options.Images with { Resize = FrameResize.None });
                probed[k] = (video.Info.DurationUs, null);
            }
            catch (VideoReadException e)
            {
                probed[k] = (0, e.Cause);
            }
            catch (StorageException e)
            {
                probed[k] = (0, RunStorage.DownloadFailure(e));
            }
        });

        var policy = options.Sampling.ShortVideo;
        for (var k = 0; k < catalog.Count; k++)
        {
            var (duration, failure) = probed[k];
            if (failure is not null)
            {
                entries.Add(catalog[k]);
                notWritten.Add((VideoStatus.Failed, failure));
                continue;
            }

            foreach (var (window, partial) in ClipWindow.Fixed(duration, lengthUs, strideUs))
            {
                entries.Add(catalog[k].AsClip(new ClipSpec(window)));
                notWritten.Add(partial && policy != ShortVideoPolicy.Pad
                    ? (policy == ShortVideoPolicy.Skip ? VideoStatus.Skipped : VideoStatus.Failed, string.Create(CultureInfo.InvariantCulture,
                        $"the last window {ClipWindow.Describe(window.StartUs, window.EndUs)} is shorter than --clip-length {ClipWindow.Seconds(lengthUs)} s (--short-video {OptionWord.Of(policy)})"))
                    : null);
            }
        }
    }

    // Groups the entries by split (split names in ordinal order, entries in order within each).
    private static RunItems Split(ConversionOptions options, List<CatalogEntry> entries, List<(VideoStatus, string)?> notWritten, ClipTable? clips, RunLabels labels)
    {
        var assignment = labels.Assignment;
        var fromClips = clips?.HasSplits == true;
        if (!fromClips && assignment is not { HasSplits: true })
        {
            return new RunItems(entries, notWritten, [new ShardGroup(null, entries.Count)]);
        }

        if (options.Output.Layout == RecordLayout.Tfds && options.Output.Split != TfdsLayout.DefaultSplit)
        {
            throw new OptionException("split", "--split names the one split of a run, but the annotations give every record its split: leave out --split");
        }

        for (var i = 0; i < entries.Count; i++)
        {
            var split = fromClips ? entries[i].Split : assignment!.Splits.GetValueOrDefault(entries[i].RelativePath);
            entries[i] = entries[i] with { Split = split };
            if (split is null && notWritten[i] is null)
            {
                notWritten[i] = (VideoStatus.Skipped, "no split for it in the annotations (the run writes one file set per split)");
            }
        }

        var names = entries.Select(e => e.Split).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (options.Output.Layout == RecordLayout.Tfds && names.FirstOrDefault(name => !TfdsLayout.IsTfdsName(name)) is { } bad)
        {
            throw new OptionException("split", $"split '{bad}' is not a TFDS split name: a lower-case letter, then lower-case letters, digits or '_' (e.g. train, validation, test)");
        }

        // Entries without a split are listed with the first split's files.
        var order = entries.Select((entry, i) => (entry, i, group: entry.Split is { } s ? names.BinarySearch(s, StringComparer.Ordinal) : 0))
            .OrderBy(x => x.group).ThenBy(x => x.i).ToList();
        var counts = order.GroupBy(x => x.group).ToDictionary(g => g.Key, g => g.Count());
        var groups = names.Count == 0
            ? [new ShardGroup(options.Output.SplitName ?? TfdsLayout.DefaultSplit, entries.Count)]
            : names.Select((name, g) => new ShardGroup(name, counts.GetValueOrDefault(g))).ToList();

        return new RunItems([.. order.Select(x => x.entry)], [.. order.Select(x => notWritten[x.i])], groups);
    }
}
