using Video2TfRecord.Conversion.RunRecords;

namespace Video2TfRecord.Conversion.Run;

/// <summary>A run's counts per split, for manifest.json's per-split totals (empty for a run without splits).</summary>
internal sealed class SplitCounts
{
    private readonly SortedDictionary<string, Counts> _splits = new(StringComparer.Ordinal);

    /// <summary>Whether any split was counted.</summary>
    public bool Any => _splits.Count > 0;

    /// <summary>Entries of <paramref name="split"/> this run (or worker) covers.</summary>
    public void Plan(string split, int entries) => Of(split).Planned += entries;

    /// <summary>Counts one entry of <paramref name="split"/> (nothing without a split).</summary>
    public void Count(string? split, VideoStatus status, int frames)
    {
        if (split is null)
        {
            return;
        }

        var counts = Of(split);
        switch (status)
        {
            case VideoStatus.Ok:
                counts.Written++;
                counts.Frames += frames;
                break;
            case VideoStatus.Skipped:
                counts.Skipped++;
                break;
            default:
                counts.Failed++;
                break;
        }
    }

    /// <summary>The totals of every split, with the bytes of its files.</summary>
    public IReadOnlyDictionary<string, ManifestTotals> Totals(IReadOnlyList<ManifestFile> files) =>
        _splits.ToDictionary(p => p.Key, p => new ManifestTotals(p.Value.Planned, p.Value.Written, p.Value.Skipped, p.Value.Failed, p.Value.Frames,
            files.Where(f => f.Split == p.Key).Sum(f => f.Bytes)), StringComparer.Ordinal);

    private Counts Of(string split)
    {
        if (!_splits.TryGetValue(split, out var counts))
        {
            _splits[split] = counts = new Counts();
        }

        return counts;
    }

    private sealed class Counts
    {
        public int Planned;
        public int Written;
        public int Skipped;
        public int Failed;
        public long Frames;
    }
}
