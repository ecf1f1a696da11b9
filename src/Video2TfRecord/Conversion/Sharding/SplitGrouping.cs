using Video2TfRecord.Conversion.Annotations;
using Video2TfRecord.Conversion.Inputs;
using Video2TfRecord.Records;

namespace Video2TfRecord.Conversion.Sharding;

/// <summary>Which split each entry belongs to (from the clips CSV or the labels CSV), and the file sets that follow.</summary>
internal static class SplitGrouping
{
    /// <summary>Groups the entries by split: split names in ordinal order, entries in order within each; entries without a split are skipped and listed with the first split's files.</summary>
    /// <exception cref="OptionException">Split names break the TFDS layout's rules, or <c>--split</c> is given with annotated splits.</exception>
    public static RunItems Group(ConversionOptions options, List<CatalogEntry> entries, List<(VideoStatus, string)?> notWritten, ClipTable? clips, RunLabels labels)
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
