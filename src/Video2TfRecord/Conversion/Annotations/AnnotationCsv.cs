using System.Globalization;
using System.Text;
using System.Text.Unicode;
using CsvHelper;
using Video2TfRecord.Storage;

namespace Video2TfRecord.Conversion.Annotations;

/// <summary>
/// One annotation CSV (labels, clips) being read: a header row, then rows whose cells are found by column name. Column
/// names match without case, cells are trimmed; every problem is an <see cref="OptionException"/> naming the file, the
/// line and the cause.
/// </summary>
internal sealed class AnnotationCsv : IDisposable
{
    private static readonly CsvReaderOptions ReaderOptions = CsvReaderOptions.Default with
    {
        // Always a comma: detecting the separator could be misled by file names that hold ';' or '|'.
        Separator = ',',
        TrimWhitespace = true,
        TrackLineNumbers = true,
        // Recovering from a quote that is never closed would silently turn the rest of the file into one value.
        MalformedData = CsvMalformedDataHandling.Throw,
        FormatProvider = CultureInfo.InvariantCulture,
        // Labels and splits repeat down their columns: one string per value instead of one per row (a column whose
        // values do not repeat turns pooling off by itself).
        PoolStrings = true,
    };

    private readonly CsvReader _csv;

    private AnnotationCsv(string path, string option, string kind, byte[] bytes)
    {
        (Path, Option, Kind) = (path, option, kind);
        Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        _csv = CsvReader.Create(bytes, ReaderOptions);
        _header = _csv.Headers.Select(name => name.Trim()).ToList();
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The option that named the file, for <see cref="OptionException.Option"/>.</summary>
    public string Option { get; }

    /// <summary>What the file is, for messages: <c>labels file</c>.</summary>
    public string Kind { get; }

    /// <summary>
    /// The SHA-256 of the bytes read, for the options fingerprint: of these bytes, since a pipe (<c>--labels
    /// &lt;(…)</c>) can be read only once.
    /// </summary>
    public string Sha256 { get; }

    private readonly List<string> _header;

    /// <summary>The header's column names, trimmed.</summary>
    public IReadOnlyList<string> Header => _header;

    /// <summary>The 1-based line where the current row starts.</summary>
    public long Line => _csv.LineNumber;

    /// <summary>
    /// Reads <paramref name="path"/> with <paramref name="read"/>, turning a missing or unreadable file and malformed
    /// CSV into one-line <see cref="OptionException"/>s.
    /// </summary>
    /// <param name="path">The CSV file (UTF-8, a byte order mark is allowed; comma separated).</param>
    /// <param name="option">The option that named it (<c>labels</c>, <c>clips</c>).</param>
    /// <param name="kind">What it is, for messages (<c>labels file</c>).</param>
    /// <param name="read">Reads the rows; its own <see cref="OptionException"/>s pass through.</param>
    public static T Read<T>(string path, string option, string kind, Func<AnnotationCsv, T> read)
    {
        // A pipe is read to its end, once (process substitution: --labels <(…)); a device or a socket would never end.
        if (FileKind.NotRegular(path) is { } other && other != FileKind.Pipe)
        {
            throw new OptionException(option, $"{kind} {path}: not a regular file ({other})");
        }

        if (!File.Exists(path))
        {
            throw new OptionException(option, $"{kind} not found: {path}");
        }

        try
        {
            // Whole, so the bytes are checked as UTF-8 before any cell becomes a string: a Latin-1 export would
            // otherwise turn 'crème' into 'cr\uFFFDme' in the training labels without a word (issue 23).
            var bytes = File.ReadAllBytes(path);
            if (InvalidUtf8(bytes) is { } offset)
            {
                var line = bytes.AsSpan(0, (int)offset).Count((byte)'\n') + 1;
                throw new OptionException(option, string.Create(CultureInfo.InvariantCulture,
                    $"{path} line {line}, byte offset {offset}: not UTF-8 (byte 0x{bytes[offset]:X2}); save the {kind} as UTF-8 (a Latin-1 or Windows-1252 export is not)"));
            }

            using var csv = new AnnotationCsv(path, option, kind, bytes);
            if (csv.Header.Count == 0)
            {
                throw csv.Error($"{kind} {path} is empty: expected a header row and one row per entry");
            }

            return read(csv);
        }
        catch (CsvFormatException e)
        {
            // The message names the record, the line and the cause: "Malformed CSV in record 3 (line 3): …".
            throw new OptionException(option, $"{path}: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new OptionException(option, $"cannot read {kind} {path}: permission denied", e);
        }
        catch (IOException e)
        {
            throw new OptionException(option, $"cannot read {kind} {path}: {e.Message}", e);
        }
    }

    // The offset of the first byte that is not UTF-8, or null when all are (or a UTF-16/32 byte order mark says the file
    // is in one of those, which the reader transcodes).
    private static long? InvalidUtf8(byte[] bytes)
    {
        if (bytes is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..] or [0, 0, 0xFE, 0xFF, ..] || Utf8.IsValid(bytes))
        {
            return null;
        }

        var offset = 0;
        while (Rune.DecodeFromUtf8(bytes.AsSpan(offset), out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            offset += consumed;
        }

        return offset;
    }

    /// <summary>The header's columns as one text, for messages.</summary>
    public string Columns => string.Join(", ", Header);

    /// <summary>The position of column <paramref name="name"/> (without case), or −1.</summary>
    public int Column(string name)
    {
        var wanted = name.Trim();
        return _header.FindIndex(column => string.Equals(column, wanted, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The position of the first of <paramref name="names"/> the header has, or −1.</summary>
    public int FirstColumn(IEnumerable<string> names) => names.Select(Column).FirstOrDefault(index => index >= 0, -1);

    /// <summary>Moves to the next row; false at the end.</summary>
    /// <exception cref="OptionException">The row has more cells than the header has columns.</exception>
    public bool ReadRow()
    {
        if (!_csv.Read())
        {
            return false;
        }

        // A cell past the header belongs to no column: usually an unquoted comma inside a name or label, which would
        // otherwise shift nothing and be dropped silently.
        return _csv.FieldCount <= _header.Count
            ? true
            : throw Error(string.Create(CultureInfo.InvariantCulture,
                $"{Path} line {Line}: {_csv.FieldCount} cells, more than the {_header.Count} columns of the header ({Columns}); put a value that holds a comma in double quotes"));
    }

    /// <summary>The trimmed cell of the current row at <paramref name="index"/>, or null when it is empty or the column is absent (−1).</summary>
    public string? Cell(int index)
    {
        if (index < 0)
        {
            return null;
        }

        var value = _csv.GetString(index);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    /// <summary>The cell at <paramref name="index"/>, which must not be empty.</summary>
    /// <exception cref="OptionException">It is.</exception>
    public string RequiredCell(int index) =>
        Cell(index) ?? throw Error($"{Path} line {Line}: empty cell in column '{Header[index]}'");

    /// <summary>An error about this file.</summary>
    public OptionException Error(string message) => new(Option, message);

    public void Dispose() => _csv.Dispose();
}
