using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Conversion;

/// <summary>
/// The class label of each video, read from a CSV file (<c>--labels</c>) or taken from the folder each video is in
/// (<c>--labels-from-folder</c>), with the class numbers that records store.
/// </summary>
/// <remarks>
/// Class numbers are decided by all the labels of the table, not only by those a run uses, so that a train CSV and
/// a validation CSV with the same classes number them the same way.
/// </remarks>
public sealed class LabelTable
{
    /// <summary>The labels file a run writes beside its records.</summary>
    public const string FileName = "labels.json";

    /// <summary>The names a video column is recognized by, most preferred first (matched without case).</summary>
    private static readonly string[] VideoColumnNames = ["path", "video", "file", "filename", "video_id", "id"];

    private const string DefaultLabelColumn = "label";

    private static readonly CsvReaderOptions ReaderOptions = CsvReaderOptions.Default with
    {
        // Always a comma: detecting the separator could be misled by file names that hold ';' or '|'.
        Separator = ',',
        TrimWhitespace = true,
        TrackLineNumbers = true,
        // Recovering from a quote that is never closed would silently turn the rest of the file into one value.
        MalformedData = CsvMalformedDataHandling.Throw,
        FormatProvider = CultureInfo.InvariantCulture,
        // Labels repeat down their column: one string per class instead of one per row (the video column, whose
        // values do not repeat, turns pooling off by itself).
        PoolStrings = true,
    };

    private readonly string _source;
    private readonly List<Row> _rows;
    private readonly Dictionary<string, VideoLabel> _labelsByText;

    private LabelTable(string source, List<Row> rows)
    {
        _source = source;
        _rows = rows;
        Labels = Number(rows.Select(row => row.Text).Distinct(StringComparer.Ordinal).ToList(), source);
        _labelsByText = Labels.ToDictionary(label => label.Text, StringComparer.Ordinal);
    }

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
    public static LabelTable Load(string csvPath, string? videoColumn = null, string? labelColumn = null)
    {
        ArgumentNullException.ThrowIfNull(csvPath);
        if (!File.Exists(csvPath))
        {
            throw new OptionException("labels", $"labels file not found: {csvPath}");
        }

        try
        {
            return new LabelTable(csvPath, ReadRows(csvPath, videoColumn, labelColumn));
        }
        catch (CsvFormatException e)
        {
            // The message names the record, the line and the cause: "Malformed CSV in record 3 (line 3): …".
            throw new OptionException("labels", $"{csvPath}: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new OptionException("labels", $"cannot read labels file {csvPath}: permission denied", e);
        }
        catch (IOException e)
        {
            throw new OptionException("labels", $"cannot read labels file {csvPath}: {e.Message}", e);
        }
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

            rows.Add(new Row(entry.RelativePath, entry.RelativePath, folder, Line: 0));
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
        var byPath = IndexVideos(catalog, entry => entry.RelativePath);

        // Built only when a row needs them: tables of relative paths (--labels-from-folder included) never do.
        Dictionary<string, Candidates>? byFullPath = null;
        Dictionary<string, Candidates>? byName = null;
        Dictionary<string, Candidates>? byStem = null;

        // The most precise way a key names videos; the indexes other than relative paths are built on first need.
        bool TryFind(string key, out Candidates candidates, out Precision precision)
        {
            precision = Precision.RelativePath;
            if (byPath.TryGetValue(key, out candidates))
            {
                return true;
            }

            // An absolute path, as lists made with find(1) or by other tools hold them.
            precision = Precision.FullPath;
            byFullPath ??= IndexVideos(catalog, entry => Path.GetFullPath(entry.FullPath));
            if (Path.IsPathRooted(key) && byFullPath.TryGetValue(Path.GetFullPath(key), out candidates))
            {
                return true;
            }

            precision = Precision.FileName;
            byName ??= IndexVideos(catalog, entry => Path.GetFileName(entry.RelativePath));
            if (byName.TryGetValue(key, out candidates))
            {
                return true;
            }

            precision = Precision.Stem;
            byStem ??= IndexVideos(catalog, entry => Path.GetFileNameWithoutExtension(entry.RelativePath));
            return byStem.TryGetValue(key, out candidates);
        }

        // The best row so far for each video, by catalog position.
        var matches = new Match[catalog.Count];
        var unmatchedRows = new List<string>();
        foreach (var row in _rows)
        {
            if (!TryFind(row.Key, out var candidates, out var precision))
            {
                unmatchedRows.Add(row.Video);
                continue;
            }

            if (candidates.Second != Candidates.None)
            {
                throw new OptionException("labels",
                    $"{Where(row)}: '{row.Video}' matches more than one video by {Describe(precision)} ({catalog[candidates.First].RelativePath} and {catalog[candidates.Second].RelativePath}); write the video's relative path instead");
            }

            ref var match = ref matches[candidates.First];
            if (match.Row is null || precision < match.Precision)
            {
                match = new Match(row, precision);
            }
            else if (precision == match.Precision && !string.Equals(row.Text, match.Row.Text, StringComparison.Ordinal))
            {
                // Not reachable while each precision keys a video by one string and rows are distinct by video value;
                // kept so that a looser matching rule cannot pick a label silently.
                throw new OptionException("labels",
                    $"{_source}: {catalog[candidates.First].RelativePath} is matched by {Describe(precision)} on lines {match.Row.Line} and {row.Line} with two labels, '{match.Row.Text}' and '{row.Text}'");
            }
        }

        var byRelativePath = new Dictionary<string, VideoLabel>(StringComparer.Ordinal);
        var unlabeled = new List<CatalogEntry>();
        for (var i = 0; i < catalog.Count; i++)
        {
            if (matches[i].Row is { } row)
            {
                byRelativePath[catalog[i].RelativePath] = _labelsByText[row.Text];
            }
            else
            {
                unlabeled.Add(catalog[i]);
            }
        }

        return new LabelAssignment(byRelativePath, unlabeled, unmatchedRows);
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

    private static List<Row> ReadRows(string csvPath, string? videoColumn, string? labelColumn)
    {
        using var csv = CsvReader.FromFile(csvPath, ReaderOptions);
        var header = csv.Headers.Select(name => name.Trim()).ToList();
        if (header.Count == 0)
        {
            throw new OptionException("labels", $"labels file {csvPath} is empty: expected a header row such as 'path,label' and one row per video");
        }

        var columns = string.Join(", ", header);
        int videoIndex;
        if (videoColumn is not null)
        {
            videoIndex = ColumnIndex(header, videoColumn);
            if (videoIndex < 0)
            {
                throw new OptionException("labels", $"--label-video-column: column '{videoColumn}' not in the header of {csvPath} (columns: {columns})");
            }
        }
        else
        {
            videoIndex = VideoColumnNames.Select(name => ColumnIndex(header, name)).FirstOrDefault(index => index >= 0, -1);
            if (videoIndex < 0)
            {
                throw new OptionException("labels",
                    $"{csvPath}: no video column in the header (columns: {columns}); expected one of {string.Join(", ", VideoColumnNames)}, or name it with --label-video-column");
            }
        }

        var labelIndex = ColumnIndex(header, labelColumn ?? DefaultLabelColumn);
        if (labelIndex < 0)
        {
            throw new OptionException("labels", labelColumn is not null
                ? $"--label-column: column '{labelColumn}' not in the header of {csvPath} (columns: {columns})"
                : $"{csvPath}: no '{DefaultLabelColumn}' column in the header (columns: {columns}); name the label column with --label-column");
        }

        if (labelIndex == videoIndex)
        {
            throw new OptionException("labels",
                $"{csvPath}: column '{header[videoIndex]}' cannot hold both the videos and the labels; choose others with --label-video-column and --label-column");
        }

        var rows = new List<Row>();
        var rowByKey = new Dictionary<string, Row>(StringComparer.Ordinal);
        while (csv.Read())
        {
            var video = Cell(csv, videoIndex, header, csvPath);
            var text = Cell(csv, labelIndex, header, csvPath);
            var row = new Row(video.Replace('\\', '/'), video, text, csv.LineNumber);
            if (rowByKey.TryGetValue(row.Key, out var first))
            {
                if (string.Equals(first.Text, row.Text, StringComparison.Ordinal))
                {
                    continue;
                }

                throw new OptionException("labels",
                    $"{csvPath}: video '{row.Key}' has two labels, '{first.Text}' on line {first.Line} and '{row.Text}' on line {row.Line}");
            }

            rowByKey.Add(row.Key, row);
            rows.Add(row);
        }

        return rows;
    }

    private static string Cell(CsvReader csv, int index, List<string> header, string csvPath)
    {
        var value = csv.GetString(index);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new OptionException("labels", $"{csvPath} line {csv.LineNumber}: empty cell in column '{header[index]}'");
        }

        return value;
    }

    private static int ColumnIndex(List<string> header, string name)
    {
        var wanted = name.Trim();
        return header.FindIndex(column => string.Equals(column, wanted, StringComparison.OrdinalIgnoreCase));
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

    /// <summary>The catalog positions of the videos, keyed by <paramref name="keyOf"/>.</summary>
    private static Dictionary<string, Candidates> IndexVideos(IReadOnlyList<CatalogEntry> catalog, Func<CatalogEntry, string> keyOf)
    {
        var index = new Dictionary<string, Candidates>(catalog.Count, StringComparer.Ordinal);
        for (var i = 0; i < catalog.Count; i++)
        {
            ref var candidates = ref CollectionsMarshal.GetValueRefOrAddDefault(index, keyOf(catalog[i]), out var exists);
            if (!exists)
            {
                candidates = new Candidates(i, Candidates.None);
            }
            else if (candidates.Second == Candidates.None)
            {
                candidates = candidates with { Second = i };
            }
        }

        return index;
    }

    private string Where(Row row) => row.Line > 0 ? $"{_source} line {row.Line}" : _source;

    private static string Describe(Precision precision) => precision switch
    {
        Precision.RelativePath => "relative path",
        Precision.FullPath => "full path",
        Precision.FileName => "file name",
        _ => "file name without extension",
    };

    /// <summary>One distinct video value of the table.</summary>
    /// <param name="Key">The value as matched: <c>\</c> turned into <c>/</c>.</param>
    /// <param name="Video">The value as written.</param>
    /// <param name="Text">The label.</param>
    /// <param name="Line">The 1-based line of the CSV file where the row starts; 0 for folder labels.</param>
    private sealed record Row(string Key, string Video, string Text, long Line);

    /// <summary>The catalog positions of the first two videos that share a key: a second one makes a row with that key ambiguous.</summary>
    private readonly record struct Candidates(int First, int Second)
    {
        public const int None = -1;
    }

    /// <summary>The row that gives a video its label, and how precisely; <see cref="Row"/> is null while none has.</summary>
    private readonly record struct Match(Row? Row, Precision Precision);

    /// <summary>How a row matched a video, most precise first.</summary>
    private enum Precision
    {
        RelativePath,
        FullPath,
        FileName,
        Stem,
    }
}
