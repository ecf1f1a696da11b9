using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Video2TfRecord.Conversion.Inputs;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Conversion.Annotations;

/// <summary>
/// The class label of each video, read from a CSV file (<c>--labels</c>) or taken from the folder each video is in
/// (<c>--labels-from-folder</c>), with the class numbers that records store.
/// </summary>
/// <remarks>
/// Class numbers are decided by all the labels of the table, not only by those a run uses, so that a train CSV and
/// a validation CSV with the same classes number them the same way.
/// </remarks>
internal sealed class LabelTable
{
    /// <summary>The labels file a run writes beside its records.</summary>
    public const string FileName = "labels.json";

    /// <summary>The names a video column is recognized by, most preferred first (matched without case).</summary>
    private static readonly string[] VideoColumnNames = ["path", "video", "file", "filename", "video_id", "id"];

    private const string DefaultLabelColumn = "label";

    /// <summary>The column a caption is read from, when the header has it.</summary>
    internal const string CaptionColumn = "caption";

    /// <summary>The column a split is read from, when the header has it and no other is named.</summary>
    internal const string DefaultSplitColumn = "split";

    private readonly string _source;
    private readonly List<Row> _rows;
    private readonly Dictionary<string, VideoLabel> _labelsByText;

    private LabelTable(string source, List<Row> rows, string? sha256 = null)
    {
        _source = source;
        Sha256 = sha256;
        _rows = rows;
        Labels = Number(rows.Select(row => row.Text).Distinct(StringComparer.Ordinal).ToList(), source);
        _labelsByText = Labels.ToDictionary(label => label.Text, StringComparer.Ordinal);
    }

    /// <summary>The SHA-256 of the CSV the table was read from; null for one made from folders or texts.</summary>
    public string? Sha256 { get; }

    /// <summary>Whether the table gives videos their splits (it has a split column).</summary>
    public bool HasSplits => _rows.Any(row => row.Split is not null);

    /// <summary>The label <paramref name="text"/> with its class number.</summary>
    /// <exception cref="KeyNotFoundException">The table has no such label.</exception>
    internal VideoLabel ByText(string text) => _labelsByText[text];

    /// <summary>A table of the distinct <paramref name="texts"/> alone, numbered as a label CSV's are (a clips CSV's label column).</summary>
    internal static LabelTable FromTexts(string source, IEnumerable<string> texts) =>
        new(source, texts.Distinct(StringComparer.Ordinal).Select(text => new Row(text, text, text, 0, null, null)).ToList());

    /// <summary>Every distinct label of the table with its class number, sorted by <see cref="VideoLabel.Index"/>.</summary>
    public IReadOnlyList<VideoLabel> Labels { get; }

    /// <summary>
    /// Reads a label CSV: a header row, then one row per video. The video column is <paramref name="videoColumn"/>, or
    /// the first of <c>path, video, file, filename, video_id, id</c> in the header; the label column is
    /// <paramref name="labelColumn"/>, or <c>label</c>. Column names match without case; fields are trimmed; other
    /// columns are ignored. Rows that repeat a video with the same label are ignored.
    /// </summary>
    /// <param name="csvPath">The CSV file (UTF-8, a byte order mark is allowed; comma separated).</param>
    /// <param name="videoColumn">The name of the column holding the videos (<c>--label-video-column</c>), or null to detect it.</param>
    /// <param name="labelColumn">The name of the column holding the labels (<c>--label-column</c>), or null for <c>label</c>.</param>
    /// <exception cref="OptionException">
    /// The file is missing or unreadable, a column is not in the header, a cell is empty, or one video has two labels.
    /// </exception>
    public static LabelTable Load(string csvPath, string? videoColumn = null, string? labelColumn = null) => Load(csvPath, videoColumn, labelColumn, null);

    /// <summary>
    /// Reads a label CSV as <see cref="Load(string, string?, string?)"/> does; a <c>caption</c> column gives each video
    /// its caption, and a split column (<paramref name="splitColumn"/>, else <c>split</c> when present) its split.
    /// </summary>
    /// <exception cref="OptionException">As <see cref="Load(string, string?, string?)"/>; or a named split column is not in the header.</exception>
    public static LabelTable Load(string csvPath, string? videoColumn, string? labelColumn, string? splitColumn)
    {
        ArgumentNullException.ThrowIfNull(csvPath);
        return AnnotationCsv.Read(csvPath, "labels", "labels file", csv => new LabelTable(csvPath, ReadRows(csv, videoColumn, labelColumn, splitColumn), csv.Sha256));
    }

    /// <summary>
    /// Takes each video's label from the name of the folder it is in (<c>Jump/clip.mp4</c> → <c>Jump</c>), as in
    /// UCF101 and Kinetics trees. Every video of <paramref name="catalog"/> is then matched by its own relative path.
    /// </summary>
    /// <exception cref="OptionException">A video is not inside a folder below the input it was found under.</exception>
    public static LabelTable FromFolders(IReadOnlyList<CatalogEntry> catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var rows = new List<Row>(catalog.Count);
        CatalogEntry? outside = null;
        var outsideCount = 0;
        foreach (var entry in catalog)
        {
            var folder = Path.GetFileName(Path.GetDirectoryName(entry.RelativePath)) ?? "";
            if (folder.Length == 0)
            {
                outside ??= entry;
                outsideCount++;
                continue;
            }

            rows.Add(new Row(entry.RelativePath, entry.RelativePath, folder, Line: 0, null, null));
        }

        if (outside is not null)
        {
            var more = outsideCount > 1 ? $" (and {outsideCount - 1} more)" : "";
            throw new OptionException("labels",
                $"--labels-from-folder needs videos inside class folders, but {outside.RelativePath}{more} is not in one; give the folder that holds the class folders");
        }

        return new LabelTable("--labels-from-folder", rows);
    }

    /// <summary>
    /// Matches the rows of the table against the videos of a run. A row matches the video whose relative path it is
    /// (after <c>\</c> → <c>/</c>), else (an absolute path) the video at that full path, else the video with that file
    /// name, else the video with that file name without extension, all compared ordinally. When two rows match one video,
    /// the more precise match wins.
    /// </summary>
    /// <exception cref="OptionException">A row matches two videos equally well, or two equally precise rows give one video different labels.</exception>
    public LabelAssignment Assign(IReadOnlyList<CatalogEntry> catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var matcher = new VideoMatcher(catalog);

        // The best row so far for each video, by catalog position.
        var matches = new Match[catalog.Count];
        var unmatchedRows = new List<string>();
        foreach (var row in _rows)
        {
            var position = matcher.Find(row.Key, out var precision, out var ambiguity);
            if (ambiguity is not null)
            {
                throw new OptionException("labels", $"{Where(row)}: {ambiguity}");
            }

            if (position < 0)
            {
                unmatchedRows.Add(row.Video);
                continue;
            }

            ref var match = ref matches[position];
            if (match.Row is null || precision < match.Precision)
            {
                match = new Match(row, precision);
            }
            else if (precision == match.Precision && !string.Equals(row.Text, match.Row.Text, StringComparison.Ordinal))
            {
                // Not reachable while each precision keys a video by one string and rows are distinct by video value;
                // kept so that a looser matching rule cannot pick a label silently.
                throw new OptionException("labels",
                    $"{_source}: {catalog[position].RelativePath} is matched by {VideoMatcher.Describe(precision)} on lines {match.Row.Line} and {row.Line} with two labels, '{match.Row.Text}' and '{row.Text}'");
            }
        }

        var byRelativePath = new Dictionary<string, VideoLabel>(StringComparer.Ordinal);
        var captions = new Dictionary<string, string>(StringComparer.Ordinal);
        var splits = new Dictionary<string, string>(StringComparer.Ordinal);
        var unlabeled = new List<CatalogEntry>();
        for (var i = 0; i < catalog.Count; i++)
        {
            if (matches[i].Row is { } row)
            {
                byRelativePath[catalog[i].RelativePath] = _labelsByText[row.Text];
                if (row.Caption is { } caption)
                {
                    captions[catalog[i].RelativePath] = caption;
                }

                if (row.Split is { } split)
                {
                    splits[catalog[i].RelativePath] = split;
                }
            }
            else
            {
                unlabeled.Add(catalog[i]);
            }
        }

        return new LabelAssignment(byRelativePath, unlabeled, unmatchedRows) { Captions = captions, Splits = splits, HasSplits = HasSplits };
    }

    /// <summary>
    /// Writes <see cref="Labels"/> as <c>[{"index":0,"text":"…"},…]</c> (UTF-8 without byte order mark, one line),
    /// through a hidden temporary file in the same folder that replaces <paramref name="path"/> once complete.
    /// </summary>
    /// <exception cref="OptionException">The file cannot be written.</exception>
    public void WriteJson(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            // A random temporary name keeps workers that write the same labels.json at once (even on several machines,
            // where process ids repeat) out of each other's way; each deletes only a file it created.
            AtomicFile.Write(Path.GetFullPath(path), stream =>
            {
                // Relaxed escaping keeps non-ASCII labels readable; the file is never embedded in HTML.
                using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                {
                    json.WriteStartArray();
                    foreach (var label in Labels)
                    {
                        json.WriteStartObject();
                        json.WriteNumber("index", label.Index);
                        json.WriteString("text", label.Text);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                }

                stream.WriteByte((byte)'\n');
            }, unique: true);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new OptionException("labels", $"cannot write {path}: permission denied", e);
        }
        catch (IOException e)
        {
            throw new OptionException("labels", $"cannot write {path}: {e.Message}", e);
        }
    }

    private static List<Row> ReadRows(AnnotationCsv csv, string? videoColumn, string? labelColumn, string? splitColumn)
    {
        var csvPath = csv.Path;
        var columns = csv.Columns;
        int videoIndex;
        if (videoColumn is not null)
        {
            videoIndex = csv.Column(videoColumn);
            if (videoIndex < 0)
            {
                throw csv.Error($"--label-video-column: column '{videoColumn}' not in the header of {csvPath} (columns: {columns})");
            }
        }
        else
        {
            videoIndex = csv.FirstColumn(VideoColumnNames);
            if (videoIndex < 0)
            {
                throw csv.Error(
                    $"{csvPath}: no video column in the header (columns: {columns}); expected one of {string.Join(", ", VideoColumnNames)}, or name it with --label-video-column");
            }
        }

        var labelIndex = csv.Column(labelColumn ?? DefaultLabelColumn);
        if (labelIndex < 0)
        {
            throw csv.Error(labelColumn is not null
                ? $"--label-column: column '{labelColumn}' not in the header of {csvPath} (columns: {columns})"
                : $"{csvPath}: no '{DefaultLabelColumn}' column in the header (columns: {columns}); name the label column with --label-column");
        }

        if (labelIndex == videoIndex)
        {
            throw csv.Error(
                $"{csvPath}: column '{csv.Header[videoIndex]}' cannot hold both the videos and the labels; choose others with --label-video-column and --label-column");
        }

        var captionIndex = csv.Column(CaptionColumn);
        var splitIndex = SplitColumnOf(csv, splitColumn);
        var rows = new List<Row>();
        var rowByKey = new Dictionary<string, Row>(StringComparer.Ordinal);
        while (csv.ReadRow())
        {
            var video = csv.RequiredCell(videoIndex);
            var text = csv.RequiredCell(labelIndex);
            var split = splitIndex < 0 ? null : SplitName.Check(csv.RequiredCell(splitIndex), csv);
            var row = new Row(video.Replace('\\', '/'), video, text, csv.Line, csv.Cell(captionIndex), split);
            if (rowByKey.TryGetValue(row.Key, out var first))
            {
                if (row with { Line = first.Line, Video = first.Video } == first)
                {
                    continue;
                }

                var what = !string.Equals(first.Text, row.Text, StringComparison.Ordinal)
                    ? $"two labels, '{first.Text}' on line {first.Line} and '{row.Text}' on line {row.Line}"
                    : first.Split != row.Split
                        ? $"two splits, '{first.Split}' on line {first.Line} and '{row.Split}' on line {row.Line}"
                        : $"two captions, on lines {first.Line} and {row.Line}";
                throw csv.Error($"{csvPath}: video '{row.Key}' has {what}");
            }

            rowByKey.Add(row.Key, row);
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The split column: the one named (which must exist), else <c>split</c> when present, else −1.</summary>
    internal static int SplitColumnOf(AnnotationCsv csv, string? splitColumn)
    {
        if (splitColumn is null)
        {
            return csv.Column(DefaultSplitColumn);
        }

        var index = csv.Column(splitColumn);
        return index >= 0 ? index : throw csv.Error($"--split-column: column '{splitColumn}' not in the header of {csv.Path} (columns: {csv.Columns})");
    }

    /// <summary>Numbers distinct labels: by value when all are non-negative integers, else by ordinal sort.</summary>
    private static List<VideoLabel> Number(List<string> texts, string source)
    {
        var byValue = new List<VideoLabel>(texts.Count);
        foreach (var text in texts)
        {
            // NumberStyles.None: ASCII digits only, no sign, no spaces, no separators.
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                texts.Sort(StringComparer.Ordinal);
                return texts.Select((label, index) => new VideoLabel(index, label)).ToList();
            }

            byValue.Add(new VideoLabel(value, text));
        }

        byValue.Sort((a, b) => a.Index != b.Index ? a.Index.CompareTo(b.Index) : string.CompareOrdinal(a.Text, b.Text));
        for (var i = 1; i < byValue.Count; i++)
        {
            if (byValue[i].Index == byValue[i - 1].Index)
            {
                throw new OptionException("labels",
                    $"{source}: labels '{byValue[i - 1].Text}' and '{byValue[i].Text}' are both class {byValue[i].Index}; write each class number one way");
            }
        }

        return byValue;
    }

    private string Where(Row row) => row.Line > 0 ? $"{_source} line {row.Line}" : _source;

    /// <summary>One distinct video value of the table.</summary>
    /// <param name="Key">The value as matched: <c>\</c> turned into <c>/</c>.</param>
    /// <param name="Video">The value as written.</param>
    /// <param name="Text">The label.</param>
    /// <param name="Line">The 1-based line of the CSV file where the row starts; 0 for folder labels.</param>
    /// <param name="Caption">The caption, or null.</param>
    /// <param name="Split">The split, or null.</param>
    private sealed record Row(string Key, string Video, string Text, long Line, string? Caption, string? Split);

    /// <summary>The row that gives a video its label, and how precisely; <see cref="Row"/> is null while none has.</summary>
    private readonly record struct Match(Row? Row, MatchPrecision Precision);
}
