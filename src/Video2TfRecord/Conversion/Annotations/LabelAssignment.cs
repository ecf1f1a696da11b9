using Video2TfRecord.Conversion.Inputs;

namespace Video2TfRecord.Conversion.Annotations;

/// <summary>The result of matching a <see cref="LabelTable"/> against the videos of a run.</summary>
internal sealed class LabelAssignment
{
    /// <summary>Creates the result; the collections are kept as given, not copied.</summary>
    public LabelAssignment(
        IReadOnlyDictionary<string, VideoLabel> byRelativePath,
        IReadOnlyList<CatalogEntry> unlabeled,
        IReadOnlyList<string> unmatchedRows)
    {
        ArgumentNullException.ThrowIfNull(byRelativePath);
        ArgumentNullException.ThrowIfNull(unlabeled);
        ArgumentNullException.ThrowIfNull(unmatchedRows);
        ByRelativePath = byRelativePath;
        Unlabeled = unlabeled;
        UnmatchedRows = unmatchedRows;
    }

    /// <summary>The label of each matched video, keyed by <see cref="CatalogEntry.RelativePath"/> (ordinal).</summary>
    public IReadOnlyDictionary<string, VideoLabel> ByRelativePath { get; }

    /// <summary>The videos that no row matched, in catalog order.</summary>
    public IReadOnlyList<CatalogEntry> Unlabeled { get; }

    /// <summary>
    /// The video values of the rows that matched no video, as written in the file and in file order, for a warning.
    /// A row that matched a video but lost it to a more precise row is not listed.
    /// </summary>
    public IReadOnlyList<string> UnmatchedRows { get; }

    /// <summary>The caption of each matched video that has one (a <c>caption</c> column), keyed by relative path.</summary>
    public IReadOnlyDictionary<string, string> Captions { get; init; } = new Dictionary<string, string>();

    /// <summary>The split of each matched video (a split column), keyed by relative path.</summary>
    public IReadOnlyDictionary<string, string> Splits { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether the table has a split column: then every written video needs a split.</summary>
    public bool HasSplits { get; init; }
}
