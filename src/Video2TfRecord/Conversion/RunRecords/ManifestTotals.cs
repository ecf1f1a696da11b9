namespace Video2TfRecord.Conversion.RunRecords;

/// <summary>Counts over a run, in manifest.json.</summary>
/// <param name="Videos">Videos (or clips) in the catalog.</param>
/// <param name="Written">Videos written.</param>
/// <param name="Skipped">Videos not written by a policy.</param>
/// <param name="Failed">Videos that could not be read.</param>
/// <param name="Frames">Frames stored.</param>
/// <param name="Bytes">Bytes of finished record files.</param>
internal sealed record ManifestTotals(int Videos, int Written, int Skipped, int Failed, long Frames, long Bytes)
{
    /// <summary>The same counts for each split, when the run writes one file set per split; null otherwise.</summary>
    public IReadOnlyDictionary<string, ManifestTotals>? Splits { get; init; }

    /// <summary>The counts of two parts of one run (workers) together, split by split.</summary>
    public ManifestTotals Add(ManifestTotals other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var sum = new ManifestTotals(Videos + other.Videos, Written + other.Written, Skipped + other.Skipped, Failed + other.Failed,
            Frames + other.Frames, Bytes + other.Bytes);
        if (Splits is null && other.Splits is null)
        {
            return sum;
        }

        var splits = new SortedDictionary<string, ManifestTotals>(StringComparer.Ordinal);
        foreach (var (name, totals) in (Splits ?? new Dictionary<string, ManifestTotals>()).Concat(other.Splits ?? new Dictionary<string, ManifestTotals>()))
        {
            splits[name] = splits.TryGetValue(name, out var before) ? before.Add(totals) : totals;
        }

        return sum with { Splits = splits };
    }
}
