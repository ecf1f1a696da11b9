using System.Globalization;
using Video2TfRecord.Conversion.Inputs;
using Video2TfRecord.Options;
using Video2TfRecord.Sampling;

namespace Video2TfRecord.Conversion.Annotations;

/// <summary>
/// The clips of a clips CSV (<c>--clips</c>): one row per clip, matched to the videos of the run by the label-matching
/// rules, in the layouts of Kinetics (<c>label,youtube_id,time_start,time_end,split</c>), DMVR
/// (<c>video_path,start,end,label,caption</c>) and MediaPipe (<c>label,video,start,end,split</c>). Read whole before
/// anything is written, so a problem with the file stops the run before it starts.
/// </summary>
internal sealed class ClipTable
{
    private static readonly string[] VideoColumns = ["path", "video", "video_path", "file", "filename", "video_id", "youtube_id"];
    private static readonly string[] StartColumns = ["start", "time_start", "start_time", "start_sec"];
    private static readonly string[] EndColumns = ["end", "time_end", "end_time", "end_sec"];

    private readonly List<Row> _rows;

    private ClipTable(string path, string sha256, List<Row> rows, bool hasLabels, bool hasSplits)
    {
        Path = path;
        Sha256 = sha256;
        _rows = rows;
        HasLabels = hasLabels;
        HasSplits = hasSplits;
        Labels = hasLabels ? LabelTable.FromTexts(path, rows.Select(row => row.Label).OfType<string>()) : null;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The SHA-256 of the file's bytes as read, for the options fingerprint.</summary>
    public string Sha256 { get; }

    /// <summary>Whether the file has a label column.</summary>
    public bool HasLabels { get; }

    /// <summary>Whether the file has a split column.</summary>
    public bool HasSplits { get; }

    /// <summary>The labels of every row, numbered (sorted over all rows, matched or not), when the file has a label column.</summary>
    public LabelTable? Labels { get; }

    /// <summary>
    /// The clips matched to the run's videos (see <see cref="Expand"/>), decided once when the table is loaded for a
    /// catalog; empty when it was loaded without one.
    /// </summary>
    public IReadOnlyList<(CatalogEntry Entry, string? Missing)> Entries { get; private set; } = [];

    /// <summary>Reads the file and matches its rows to <paramref name="catalog"/> (<see cref="Entries"/>).</summary>
    /// <exception cref="OptionException">As <see cref="Load(string, string?)"/> and <see cref="Expand"/> say.</exception>
    public static ClipTable Load(string path, string? splitColumn, IReadOnlyList<CatalogEntry> catalog)
    {
        var table = Load(path, splitColumn);
        table.Entries = table.Expand(catalog);
        return table;
    }

    /// <summary>Reads the file.</summary>
    /// <exception cref="OptionException">
    /// The file is missing or unreadable, lacks a video or start column, a time is not a non-negative number, a start is
    /// not before its end, or two rows give one clip different labels, captions or splits.
    /// </exception>
    public static ClipTable Load(string path, string? splitColumn) => AnnotationCsv.Read(path, "clips", "clips file", csv => Read(csv, splitColumn));

    /// <summary>
    /// The clips, each as its video's entry with the clip (<see cref="CatalogEntry.AsClip"/>), ordered by the video's
    /// catalog position, then start, end and line; rows naming no video of the catalog come last, as entries that are
    /// not written, with the reason.
    /// </summary>
    /// <exception cref="OptionException">A row names two videos equally well, or two clips of one video would share an id.</exception>
    public IReadOnlyList<(CatalogEntry Entry, string? Missing)> Expand(IReadOnlyList<CatalogEntry> catalog)
    {
        var matcher = new VideoMatcher(catalog);
        var found = new List<(int Position, CatalogEntry Entry)>(_rows.Count);
        var missing = new List<(CatalogEntry, string?)>();
        foreach (var row in _rows)
        {
            var position = matcher.Find(row.Key, out _, out var ambiguity);
            if (ambiguity is not null)
            {
                throw new OptionException("clips", $"{Path} line {row.Line}: {ambiguity}");
            }

            var clip = new ClipSpec(row.Window) { Line = row.Line, Label = row.Label, Caption = row.Caption };
            if (position < 0)
            {
                var absent = new CatalogEntry(row.Video, row.Key) { Split = row.Split }.AsClip(clip);
                missing.Add((absent, $"no video of the inputs matches '{row.Video}' ({Path} line {row.Line})"));
                continue;
            }

            found.Add((position, catalog[position].AsClip(clip) with { Split = row.Split }));
        }

        found.Sort((a, b) => a.Position != b.Position ? a.Position.CompareTo(b.Position) : Compare(a.Entry.Clip!, b.Entry.Clip!));
        // Rows that name one video two ways (a.mp4 and a) are one clip when they say the same about it.
        var ids = new Dictionary<string, CatalogEntry>(StringComparer.Ordinal);
        var kept = new List<(int Position, CatalogEntry Entry)>(found.Count);
        foreach (var (position, entry) in found)
        {
            if (!ids.TryGetValue(entry.Id, out var before))
            {
                ids.Add(entry.Id, entry);
                kept.Add((position, entry));
                continue;
            }

            var (a, b) = (before.Clip!, entry.Clip!);
            if (a.Window != b.Window)
            {
                throw new OptionException("clips",
                    $"{Path}: the clips on lines {a.Line} and {b.Line} would both be {entry.Id} (their times differ by less than a millisecond)");
            }

            if (a with { Line = b.Line } != b || before.Split != entry.Split)
            {
                throw new OptionException("clips",
                    $"{Path}: lines {a.Line} and {b.Line} give the clip {ClipWindow.Describe(a.Window.StartUs, a.Window.EndUs)} of {entry.RelativePath} different labels, captions or splits");
            }
        }

        return [.. kept.Select(f => (f.Entry, (string?)null)), .. missing];
    }

    private static int Compare(ClipSpec a, ClipSpec b)
    {
        var start = a.Window.StartUs.CompareTo(b.Window.StartUs);
        if (start != 0)
        {
            return start;
        }

        var end = (a.Window.EndUs ?? long.MaxValue).CompareTo(b.Window.EndUs ?? long.MaxValue);
        return end != 0 ? end : Nullable.Compare(a.Line, b.Line);
    }

    private static ClipTable Read(AnnotationCsv csv, string? splitColumn)
    {
        var path = csv.Path;
        var video = csv.FirstColumn(VideoColumns);
        if (video < 0)
        {
            throw csv.Error($"{path}: no video column in the header (columns: {csv.Columns}); expected one of {string.Join(", ", VideoColumns)}");
        }

        var start = csv.FirstColumn(StartColumns);
        if (start < 0)
        {
            throw csv.Error($"{path}: no start column in the header (columns: {csv.Columns}); expected one of {string.Join(", ", StartColumns)} (seconds)");
        }

        var end = csv.FirstColumn(EndColumns);
        var label = csv.Column("label");
        var caption = csv.Column(LabelTable.CaptionColumn);
        var split = LabelTable.SplitColumnOf(csv, splitColumn);
        var rows = new List<Row>();
        var byClip = new Dictionary<(string, long, long?), Row>();
        while (csv.ReadRow())
        {
            var name = csv.RequiredCell(video);
            var startUs = Seconds(csv, start) ?? throw csv.Error($"{path} line {csv.Line}: empty cell in column '{csv.Header[start]}'");
            var endUs = Seconds(csv, end);
            if (endUs is { } e && e <= startUs)
            {
                // The cells as written, and what they round to when that differs: 0.0000001 s is 0 µs.
                throw csv.Error(string.Create(CultureInfo.InvariantCulture,
                    $"{path} line {csv.Line}: the clip's start {AsGiven(csv.Cell(start)!, startUs)} is not before its end {AsGiven(csv.Cell(end)!, e)} (times count whole microseconds, rounded half to even)"));
            }

            var row = new Row(name.Replace('\\', '/'), name, new ClipWindow(startUs, endUs), csv.Cell(label), csv.Cell(caption),
                split < 0 ? null : SplitName.Check(csv.RequiredCell(split), csv), csv.Line);
            var key = (row.Key, startUs, endUs);
            if (byClip.TryGetValue(key, out var first))
            {
                if (row with { Line = first.Line, Video = first.Video } == first)
                {
                    continue;
                }

                throw csv.Error($"{path}: lines {first.Line} and {row.Line} give the clip {ClipWindow.Describe(startUs, endUs)} of '{row.Key}' different labels, captions or splits");
            }

            byClip.Add(key, row);
            rows.Add(row);
        }

        if (rows.Count == 0)
        {
            // Nothing to write is not a run: an empty shard and exit 0 would look like success.
            throw csv.Error($"{path} has a header but no clips: expected one row per clip (video, start, end)");
        }

        return new ClipTable(path, csv.Sha256, rows, label >= 0, split >= 0);
    }

    // A time in seconds as µs (rounded half to even), or null for an empty cell.
    private static long? Seconds(AnnotationCsv csv, int column)
    {
        if (csv.Cell(column) is not { } text)
        {
            return null;
        }

        if (!NumberRange.TryRead(text, out var seconds))
        {
            throw csv.Error($"{csv.Path} line {csv.Line}: '{text}' in column '{csv.Header[column]}' is not a time in seconds (such as 12.5)");
        }

        if (!TimeRange.Contains(seconds))
        {
            throw csv.Error($"{csv.Path} line {csv.Line}: '{text}' in column '{csv.Header[column]}': expected {TimeRange.Description}");
        }

        return (long)Math.Round(seconds * 1_000_000m, MidpointRounding.ToEven);
    }

    // The times a clips CSV cell takes: from the start of the video to the longest window --clip-length takes.
    private static readonly NumberRange TimeRange = new(0, ClipOptions.MaximumSeconds, Whole: false, "seconds");

    // A time as the cell wrote it, with the microseconds it rounds to when they say something else.
    private static string AsGiven(string text, long us)
    {
        var exact = ClipWindow.Seconds(us);
        return NumberRange.TryRead(text, out var given) && given == decimal.Parse(exact, CultureInfo.InvariantCulture)
            ? $"{text} s"
            : string.Create(CultureInfo.InvariantCulture, $"{text} s (rounded to {us} µs)");
    }

    /// <summary>One clip of the file.</summary>
    /// <param name="Key">The video value as matched: <c>\</c> turned into <c>/</c>.</param>
    /// <param name="Video">The video value as written.</param>
    /// <param name="Window">The clip's window.</param>
    /// <param name="Label">The label, or null.</param>
    /// <param name="Caption">The caption, or null.</param>
    /// <param name="Split">The split, or null.</param>
    /// <param name="Line">The 1-based line where the row starts.</param>
    private sealed record Row(string Key, string Video, ClipWindow Window, string? Label, string? Caption, string? Split, long Line);
}
