using System.Globalization;
using Video2TfRecord.Conversion.Sharding;
using Video2TfRecord.Options;
using Video2TfRecord.Records;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Conversion.Output;

/// <summary>Where and how records are written: the folder, file names and sizes, layout, compression, and the run's mode.</summary>
public sealed record OutputOptions
{
    /// <summary>Records per output file when nothing else is asked for.</summary>
    public const int DefaultVideosPerFile = 10;

    /// <summary>Default cap on one serialized record: 1 GiB (protobuf's hard limit is 2 GiB).</summary>
    public const long DefaultMaxRecordBytes = 1L << 30;

    /// <summary>The largest <see cref="MaxRecordBytes"/> allowed: protobuf's limit, 2 GiB − 1.</summary>
    public const long MaxRecordBytesLimit = int.MaxValue;

    /// <summary>The records per file <c>--videos-per-file</c> takes.</summary>
    public static NumberRange VideosPerFileRange { get; } = new(1, int.MaxValue, Whole: true);

    /// <summary>The sizes <c>--max-record-bytes</c> takes: up to protobuf's limit.</summary>
    public static NumberRange MaxRecordBytesRange { get; } = new(1, MaxRecordBytesLimit, Whole: true, "bytes");

    /// <summary>
    /// The longest <see cref="Prefix"/>, in UTF-8 bytes: file names may hold 255 bytes, and the longest name a run writes
    /// adds up to 55 to the prefix (<c>.{prefix}-{split}-00000-of-00001.tfrecord.gz.partial</c> with a short split name).
    /// </summary>
    public const int MaxPrefixBytes = 200;

    /// <summary>Output file name prefix when nothing else is asked for.</summary>
    public const string DefaultPrefix = "videos";

    /// <summary>The folder the record files go to; created when missing.</summary>
    public required string Directory { get; init; }

    /// <summary>Output file name prefix: <c>{prefix}-00000-of-00003.tfrecord</c>.</summary>
    public string Prefix { get; init; } = DefaultPrefix;

    /// <summary>Records per output file.</summary>
    public int VideosPerFile { get; init; } = DefaultVideosPerFile;

    /// <summary>Record layout.</summary>
    public RecordLayout Layout { get; init; } = RecordLayout.Example;

    /// <summary>Compression of the output files.</summary>
    public TfRecordCompression Compression { get; init; } = TfRecordCompression.None;

    /// <summary>With <see cref="RecordLayout.Tfds"/>: the split the files belong to (<c>train</c>, <c>validation</c>, …).</summary>
    public string Split { get; init; } = TfdsLayout.DefaultSplit;

    /// <summary>The split the files of a run without split annotations are named after: <see cref="Split"/> in the TFDS layout, else none.</summary>
    public string? SplitName => Layout == RecordLayout.Tfds ? Split : null;

    /// <summary>A video whose record would be larger than this is skipped with that reason.</summary>
    public long MaxRecordBytes { get; init; } = DefaultMaxRecordBytes;

    /// <summary>Whether to write a <c>.idx</c> index beside every record file (DALI, PyTorch tfrecord); uncompressed only.</summary>
    public bool WriteIndex { get; init; }

    /// <summary>Whether files of a previous run in the output folder may be deleted and replaced.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Whether to continue a run in <see cref="Directory"/>: finished shards are kept, the rest redone.</summary>
    public bool Resume { get; init; }

    /// <summary>This process's share of a run split over several workers, or null for the whole run.</summary>
    public WorkerSlice? Worker { get; init; }

    /// <summary>Checks every value and the combinations within the part.</summary>
    /// <exception cref="OptionException">A value or a combination is not allowed.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw new OptionException("output", "-o/--output: give the folder the record files go to");
        }

        VideosPerFileRange.Check("videos-per-file", VideosPerFile);

        if (Prefix.Length == 0 || Prefix.IndexOfAny(['/', '\\']) >= 0 || Prefix.StartsWith('.'))
        {
            throw new OptionException("prefix", $"--prefix: expected a plain file name start without '/' or a leading '.', got '{Prefix}'");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(Prefix) is var bytes && bytes > MaxPrefixBytes)
        {
            // Checked here, not when the first file is written: the run would leave a manifest and no records.
            throw new OptionException("prefix", string.Create(CultureInfo.InvariantCulture,
                $"--prefix: expected at most {MaxPrefixBytes} bytes (file names hold 255, and the tool adds up to 55), got {bytes}"));
        }

        if (MaxRecordBytes < 1 || MaxRecordBytes > MaxRecordBytesLimit)
        {
            throw new OptionException("max-record-bytes", string.Create(CultureInfo.InvariantCulture,
                $"--max-record-bytes: expected 1 to {MaxRecordBytesLimit} bytes (protobuf cannot hold a record of 2 GiB or more), got {MaxRecordBytes}"));
        }

        if (WriteIndex && Compression != TfRecordCompression.None)
        {
            throw new OptionException("index", "--index needs uncompressed records (readers seek into the file): leave out --compression");
        }

        if (Resume && Overwrite)
        {
            throw new OptionException("resume", "--resume and --overwrite contradict each other: give one");
        }
    }

    /// <summary>The values that shape the output, by option name (folder, index, resume and workers do not).</summary>
    public IEnumerable<KeyValuePair<string, string>> Describe()
    {
        yield return new("compression", OptionWord.Of(Compression));
        yield return new("layout", OptionWord.Of(Layout));
        yield return new("max-record-bytes", MaxRecordBytes.ToString(CultureInfo.InvariantCulture));
        yield return new("prefix", Prefix);
        yield return new("split", Layout == RecordLayout.Tfds ? Split : "");
        yield return new("videos-per-file", VideosPerFile.ToString(CultureInfo.InvariantCulture));
    }
}
