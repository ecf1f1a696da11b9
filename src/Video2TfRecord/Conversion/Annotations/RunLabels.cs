using System.Globalization;
using Video2TfRecord.Conversion.Inputs;

namespace Video2TfRecord.Conversion.Annotations;

/// <summary>
/// The labels of one run: the table, which video gets which label, and which videos the policy leaves out. Built
/// once before anything is written, so a label problem stops the run before it starts.
/// </summary>
internal sealed class RunLabels
{
    private RunLabels(LabelTable? table, LabelAssignment? assignment, HashSet<string> excluded, string? csvSha256 = null, bool fromClips = false)
    {
        _fromClips = fromClips;
        CsvSha256 = csvSha256;
        Table = table;
        Assignment = assignment;
        _excluded = excluded;
    }

    private readonly HashSet<string> _excluded;

    // The labels are the clips CSV's label column: each clip has its own (or none), not its video's.
    private readonly bool _fromClips;

    public LabelTable? Table { get; }

    /// <summary>The SHA-256 of the labels CSV's bytes (for the options fingerprint), or null without a CSV.</summary>
    public string? CsvSha256 { get; }

    public LabelAssignment? Assignment { get; }

    /// <summary>Whether <paramref name="entry"/> is left out for having no label (<c>--missing-label skip</c>).</summary>
    public bool IsExcluded(CatalogEntry entry) => _excluded.Contains(_fromClips ? entry.Id : entry.RelativePath);

    public static string MissingReason => "no label for it in the labels (--missing-label skip)";

    /// <exception cref="OptionException">The labels cannot be read, or videos lack one and the policy is error.</exception>
    public static RunLabels Resolve(LabelOptions options, IReadOnlyList<CatalogEntry> catalog) => Resolve(options, catalog, null, null);

    /// <summary>
    /// The labels of a run whose records may be clips: the label column of <paramref name="clips"/> when it has one
    /// (then <c>--labels</c> is refused), else the video labels, which a video's clips share.
    /// </summary>
    /// <exception cref="OptionException">As <see cref="Resolve(LabelOptions, IReadOnlyList{CatalogEntry})"/>, or labels are given twice.</exception>
    public static RunLabels Resolve(LabelOptions options, IReadOnlyList<CatalogEntry> catalog, ClipTable? clips, string? splitColumn)
    {
        if (clips is { Labels: { } clipLabels })
        {
            if (options.Enabled)
            {
                throw new OptionException("labels", $"{clips.Path} has a label column, so --labels and --labels-from-folder cannot label its clips too: give labels in one place");
            }

            return FromClips(options.Missing, clips, clipLabels);
        }

        if (!options.Enabled)
        {
            return new RunLabels(null, null, []);
        }

        var table = options.File is { } file
            ? LabelTable.Load(file, options.VideoColumn, options.LabelColumn, clips?.HasSplits == true ? null : splitColumn)
            : LabelTable.FromFolders(catalog);
        var sha256 = table.Sha256;
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

    private static RunLabels FromClips(MissingLabelPolicy missing, ClipTable clips, LabelTable table)
    {
        var unlabeled = clips.Entries.Where(c => c.Missing is null && c.Entry.Clip!.Label is null).Select(c => c.Entry).ToList();
        if (unlabeled.Count > 0 && missing == MissingLabelPolicy.Error)
        {
            var lines = string.Join(", ", unlabeled.Take(5).Select(e => e.Clip!.Line));
            throw new OptionException("labels", string.Create(CultureInfo.InvariantCulture,
                $"--missing-label error: {unlabeled.Count} clips of {clips.Path} have an empty label (lines {lines}{(unlabeled.Count > 5 ? ", …" : "")})"));
        }

        // Clips are keyed by their ids, which are unique in a run.
        var excluded = missing == MissingLabelPolicy.Skip ? unlabeled.Select(e => e.Id).ToHashSet(StringComparer.Ordinal) : [];
        return new RunLabels(table, null, excluded, null, fromClips: true);
    }

    public VideoLabel? For(CatalogEntry entry)
    {
        if (_fromClips)
        {
            return entry.Clip?.Label is { } text ? Table!.ByText(text) : null;
        }

        return Assignment is not null && Assignment.ByRelativePath.TryGetValue(entry.RelativePath, out var label) ? label : null;
    }

    /// <summary>The caption of <paramref name="entry"/>: its clip's, else its video's from the labels CSV, or null.</summary>
    public string? CaptionOf(CatalogEntry entry) =>
        entry.Clip?.Caption ?? (Assignment is not null && Assignment.Captions.TryGetValue(entry.RelativePath, out var caption) ? caption : null);
}
