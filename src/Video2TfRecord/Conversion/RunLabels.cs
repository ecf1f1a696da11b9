using System.Globalization;

namespace Video2TfRecord.Conversion;

/// <summary>
/// The labels of one run: the table, which video gets which label, and which videos the policy leaves out. Built
/// once before anything is written, so a label problem stops the run before it starts.
/// </summary>
internal sealed class RunLabels
{
    private RunLabels(LabelTable? table, LabelAssignment? assignment, IReadOnlyList<CatalogEntry> written, HashSet<string> excluded)
    {
        Table = table;
        Assignment = assignment;
        Written = written;
        Excluded = excluded;
    }

    public LabelTable? Table { get; }

    public LabelAssignment? Assignment { get; }

    /// <summary>The catalog after label filtering: what the shard plan covers.</summary>
    public IReadOnlyList<CatalogEntry> Written { get; }

    /// <summary>Relative paths of videos left out for having no label (<c>--missing-label skip</c>).</summary>
    public HashSet<string> Excluded { get; }

    public static string MissingReason => "no label for it in the labels (--missing-label skip)";

    /// <exception cref="UsageException">The labels cannot be read, or videos lack one and the policy is error.</exception>
    public static RunLabels Resolve(ConversionOptions options, IReadOnlyList<CatalogEntry> catalog)
    {
        if (!options.HasLabels)
        {
            return new RunLabels(null, null, catalog, []);
        }

        var table = options.LabelsFile is { } file
            ? LabelTable.Load(file, options.LabelVideoColumn, options.LabelColumn)
            : LabelTable.FromFolders(catalog);
        var assignment = table.Assign(catalog);
        var unlabeled = assignment.Unlabeled;
        if (unlabeled.Count > 0 && options.MissingLabel == MissingLabelPolicy.Error)
        {
            var named = string.Join(", ", unlabeled.Take(5).Select(e => e.RelativePath));
            var more = unlabeled.Count > 5 ? string.Create(CultureInfo.InvariantCulture, $" and {unlabeled.Count - 5} more") : "";
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"--missing-label error: {unlabeled.Count} videos have no label in {options.LabelsFile}: {named}{more}"));
        }

        if (options.MissingLabel != MissingLabelPolicy.Skip || unlabeled.Count == 0)
        {
            return new RunLabels(table, assignment, catalog, []);
        }

        var excluded = unlabeled.Select(e => e.RelativePath).ToHashSet(StringComparer.Ordinal);
        var written = catalog.Where(e => !excluded.Contains(e.RelativePath)).ToList();
        return new RunLabels(table, assignment, written, excluded);
    }

    public VideoLabel? For(CatalogEntry entry) =>
        Assignment is not null && Assignment.ByRelativePath.TryGetValue(entry.RelativePath, out var label) ? label : null;
}
