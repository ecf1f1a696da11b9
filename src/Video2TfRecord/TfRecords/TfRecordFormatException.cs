using System.Globalization;

namespace Video2TfRecord.TfRecords;

/// <summary>
/// A TFRecord file is not well formed: it says which file, which record (0-based) and at which byte offset
/// (in the uncompressed stream) the problem starts, and what is wrong there.
/// </summary>
public sealed class TfRecordFormatException : Exception
{
    private TfRecordFormatException(string? fileName, long recordNumber, long offset, string problem, bool framingIntact = false)
        : base(Describe(fileName, recordNumber, offset, problem))
    {
        FileName = fileName;
        RecordNumber = recordNumber;
        Offset = offset;
        Problem = problem;
        FramingIntact = framingIntact;
    }

    /// <summary>The file (or stream name) that was being read, when known.</summary>
    public string? FileName { get; }

    /// <summary>The 0-based number of the record that could not be read.</summary>
    public long RecordNumber { get; }

    /// <summary>Byte offset of that record's first byte in the uncompressed stream.</summary>
    public long Offset { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    /// <summary>
    /// Whether only this record's data is bad while its length and the file's framing hold: the reader has moved past
    /// it, and reading can go on with the next record.
    /// </summary>
    public bool FramingIntact { get; }

    internal static TfRecordFormatException TruncatedLength(string? file, long record, long offset, int got) =>
        new(file, record, offset, string.Create(CultureInfo.InvariantCulture,
            $"the file ends inside the 12-byte record header ({got} bytes present); the file was cut short"));

    internal static TfRecordFormatException TruncatedData(string? file, long record, long offset, ulong length, long got) =>
        new(file, record, offset, string.Create(CultureInfo.InvariantCulture,
            $"the record says it holds {length} bytes but the file ends after {got} of them; the file was cut short"));

    internal static TfRecordFormatException TruncatedFooter(string? file, long record, long offset) =>
        new(file, record, offset, "the file ends inside the 4-byte data checksum; the file was cut short");

    internal static TfRecordFormatException LengthCrcMismatch(string? file, long record, long offset, uint stored, uint computed, string? hint) =>
        new(file, record, offset, string.Create(CultureInfo.InvariantCulture,
            $"length checksum mismatch (stored 0x{stored:X8}, computed 0x{computed:X8}); this is not a TFRecord file or it is corrupted{hint}"));

    internal static TfRecordFormatException DataCrcMismatch(string? file, long record, long offset, uint stored, uint computed) =>
        new(file, record, offset, string.Create(CultureInfo.InvariantCulture,
            $"data checksum mismatch (stored 0x{stored:X8}, computed 0x{computed:X8}); the record is corrupted"), framingIntact: true);

    internal static TfRecordFormatException LengthTooLarge(string? file, long record, long offset, ulong length, long limit) =>
        new(file, record, offset, string.Create(CultureInfo.InvariantCulture,
            $"the record says it holds {length} bytes, more than the limit of {limit}; the length is corrupted"));

    internal static TfRecordFormatException Unreadable(string? file, long record, long offset, string cause) =>
        new(file, record, offset, cause);

    private static string Describe(string? file, long record, long offset, string problem) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{file ?? "TFRecord stream"}: record {record} at byte offset {offset}: {problem}");
}
