using System.Globalization;

namespace Video2TfRecord.Conversion;

/// <summary>
/// The labels of one run: the table, which video gets which label, and which videos the policy leaves out. Built
/// once before anything is written, so a label problem stops the run before it starts.
/// </summary>
internal sealed class RunLabels
{
    private RunLabels(LabelTable? table, LabelAssignment? assignment, HashSet<string> excluded, string? csvSha256 = null)
    {
        CsvSha256 = csvSha256;
        Table = table;
        Assignment = assignment;
        _excluded = excluded;
    }

    private readonly HashSet<string> _excluded;

    public LabelTable? Table { get; }

    /// <summary>The SHA-256 of the labels CSV's bytes (for the options fingerprint), or null without a CSV.</summary>
    public string? CsvSha256 { get; }

    public LabelAssignment? Assignment { get; }

    /// <summary>Whether <paramref name="entry"/> is left out for having no label (<c>--missing-label skip</c>).</summary>
    public bool IsExcluded(CatalogEntry entry) => _excluded.Contains(entry.RelativePath);

    public static string MissingReason => "no label for it in the labels (--missing-label skip)";

    /// <exception cref="OptionException">The labels cannot be read, or videos lack one and the policy is error.</exception>
    public static RunLabels Resolve(LabelOptions options, IReadOnlyList<CatalogEntry> catalog)
    {
        if (!options.Enabled)
        {
            return new RunLabels(null, null, []);
        }

        var table = options.File is { } file
            ? LabelTable.Load(file, options.VideoColumn, options.LabelColumn)
            : LabelTable.FromFolders(catalog);
        var sha256 = options.File is { } csv ? FileHash(csv) : null;
        var assignment = table.Assign(catalog);
        var unlabeled = assignment.Unlabeled;
        if (unlabeled.Count > 0 && options.Missing == MissingLabelPolicy.Error)
        {
            var named = string.Join(", ", unlabeled.Take(5).Select(e => e.RelativePath));
            var more = unlabeled.Count > 5 ? string.Create(CultureInfo.InvariantCulture, $" and {unlabeled.Count - 5} more") : "";
            throw new OptionException("labels", string.Create(CultureInfo.InvariantCulture,
                $"--missing-label error: {unlabeled.Count} videos have no label in {options.File}: {named}{more}"));
        }

        if (options.Missing != MissingLabelPolicy.Skip || unlabeled.Count == 0)
        {
            return new RunLabels(table, assignment, [], sha256);
        }

        return new RunLabels(table, assignment, unlabeled.Select(e => e.RelativePath).ToHashSet(StringComparer.Ordinal), sha256);
    }

    private static string FileHash(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OptionException("labels", $"--labels: cannot read {path}: {e.Message}", e);
        }
    }

    public VideoLabel? For(CatalogEntry entry) =>
        Assignment is not null && Assignment.ByRelativePath.TryGetValue(entry.RelativePath, out var label) ? label : null;
}
