using System.Globalization;
using Video2TfRecord.Flow;
using Video2TfRecord.Frames;
using Video2TfRecord.Records;
using Video2TfRecord.Sampling;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Conversion;

/// <summary>Everything a conversion run needs to know, validated once by <see cref="Validate"/>.</summary>
public sealed record ConversionOptions
{
    /// <summary>Default number of records per output file.</summary>
    public const int DefaultVideosPerFile = 10;

    /// <summary>Default cap on one serialized record: 1 GiB (protobuf's hard limit is 2 GiB).</summary>
    public const long DefaultMaxRecordBytes = 1L << 30;

    /// <summary>Files, folders (walked recursively) to convert.</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>The folder the record files go to; created when missing.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>File-name globs (<c>*</c>, <c>?</c>) that replace the default video extensions when walking folders.</summary>
    public IReadOnlyList<string> Patterns { get; init; } = [];

    /// <summary>Output file name prefix: <c>{prefix}-00000-of-00003.tfrecord</c>.</summary>
    public string Prefix { get; init; } = "videos";

    /// <summary>Records per output file.</summary>
    public int VideosPerFile { get; init; } = DefaultVideosPerFile;

    /// <summary>Frames to keep per video.</summary>
    public FrameCount Frames { get; init; } = FrameCount.Of(32);

    /// <summary>How kept frames are spaced.</summary>
    public SamplingMode Sampling { get; init; } = SamplingMode.Centered;

    /// <summary>The rate for <see cref="SamplingMode.Fps"/> (<c>--fps</c>), frames per second; required by that mode only.</summary>
    public decimal? TargetFps { get; init; }

    /// <summary>What to do with videos shorter than <see cref="Frames"/>.</summary>
    public ShortVideoPolicy ShortVideo { get; init; } = ShortVideoPolicy.Pad;

    /// <summary>Stored frame size, or <see langword="null"/> for the source size after rotation.</summary>
    public FrameSize? Size { get; init; }

    /// <summary>How frames reach <see cref="Size"/>.</summary>
    public ResizeMode Resize { get; init; } = ResizeMode.Stretch;

    /// <summary>The short side in pixels for <see cref="ResizeMode.ShortSide"/>.</summary>
    public int? ShortSide { get; init; }

    /// <summary>The resize step these options describe.</summary>
    public FrameResize FrameResize => new(Resize, Size, ShortSide);

    /// <summary>Stored channels.</summary>
    public ColorMode Color { get; init; } = ColorMode.Rgb;

    /// <summary>Stored sample type.</summary>
    public PixelType PixelType { get; init; } = PixelType.UInt8;

    /// <summary>Image encoding; <see cref="ImageEncoding.Auto"/> picks JPEG for 8-bit and PNG for 16-bit.</summary>
    public ImageEncoding Encoding { get; init; } = ImageEncoding.Auto;

    /// <summary>JPEG quality, 1..100.</summary>
    public int JpegQuality { get; init; } = 95;

    /// <summary>Record layout.</summary>
    public RecordLayout Layout { get; init; } = RecordLayout.Example;

    /// <summary>Compression of the output files.</summary>
    public TfRecordCompression Compression { get; init; } = TfRecordCompression.None;

    /// <summary>Whether files of a previous run in the output folder may be deleted and replaced.</summary>
    public bool Overwrite { get; init; }

    /// <summary>A video whose record would be larger than this is skipped with that reason.</summary>
    public long MaxRecordBytes { get; init; } = DefaultMaxRecordBytes;

    /// <summary>Default clip bound of stored flow, in pixels per frame (the TSN/I3D convention).</summary>
    public const double DefaultFlowBound = 20;

    /// <summary>Optical flow method, or none.</summary>
    public FlowMethod Flow { get; init; } = FlowMethod.None;

    /// <summary>The flow method's parameter set.</summary>
    public FlowPreset FlowPreset { get; init; } = FlowPreset.Default;

    /// <summary>Which frames flow is computed between.</summary>
    public FlowPairs FlowPairs { get; init; } = FlowPairs.Next;

    /// <summary>How flow is stored.</summary>
    public FlowFormat FlowFormat { get; init; } = FlowFormat.Xy;

    /// <summary>Flow components are clipped to ±this many pixels per frame before quantization.</summary>
    public double FlowBound { get; init; } = DefaultFlowBound;

    /// <summary>Computes flow on frames resized to this size (then resized back and scaled); null: the stored size.</summary>
    public FrameSize? FlowSize { get; init; }

    /// <summary>How flow images are encoded; <see cref="ImageEncoding.Auto"/> follows the frames.</summary>
    public ImageEncoding FlowEncoding { get; init; } = ImageEncoding.Auto;

    /// <summary>With <see cref="RecordLayout.Tfds"/>: the split the files belong to (<c>train</c>, <c>validation</c>, …).</summary>
    public string Split { get; init; } = TfdsLayout.DefaultSplit;

    /// <summary>Inputs read from a file, one path per line, or <c>-</c> for standard input; added to <see cref="Inputs"/>.</summary>
    public string? InputList { get; init; }

    /// <summary>Permutes the catalog with this seed before sharding (class-sorted trees otherwise put one class per file).</summary>
    public ulong? ShuffleSeed { get; init; }

    /// <summary>This process's share of a run split over several workers, or null for the whole run.</summary>
    public WorkerSlice? Worker { get; init; }

    /// <summary>Whether to write a <c>.idx</c> index beside every record file (DALI, PyTorch tfrecord); uncompressed only.</summary>
    public bool WriteIndex { get; init; }

    /// <summary>Whether to continue a run in <see cref="OutputDirectory"/>: finished shards are kept, the rest redone.</summary>
    public bool Resume { get; init; }

    /// <summary>A CSV with a header row that gives each video its label (<c>--labels</c>).</summary>
    public string? LabelsFile { get; init; }

    /// <summary>The CSV column naming the videos, when it is not one of the recognized names.</summary>
    public string? LabelVideoColumn { get; init; }

    /// <summary>The CSV column holding the labels, when it is not <c>label</c>.</summary>
    public string? LabelColumn { get; init; }

    /// <summary>Take each video's parent folder name as its label (UCF101/Kinetics trees).</summary>
    public bool LabelsFromFolder { get; init; }

    /// <summary>What happens to videos the labels do not cover.</summary>
    public MissingLabelPolicy MissingLabel { get; init; } = MissingLabelPolicy.Skip;

    /// <summary>Whether the run has labels at all.</summary>
    public bool HasLabels => LabelsFile is not null || LabelsFromFolder;

    /// <summary>Videos converted at once; the output is the same for any value.</summary>
    public int Jobs { get; init; } = Environment.ProcessorCount;

    /// <summary>Whether this process writes shard <paramref name="shard"/> (every shard without <see cref="Worker"/>).</summary>
    public bool Owns(int shard) => Worker?.Owns(shard) ?? true;

    /// <summary>The manifest this process writes: <c>manifest.json</c>, or a worker's part.</summary>
    public string ManifestName => Worker?.ManifestName ?? RunManifest.FileName;

    /// <summary>The video log this process writes: <c>videos.jsonl</c>, or a worker's part.</summary>
    public string LogName => Worker?.LogName ?? VideoLog.FileName;

    /// <summary>The encoding actually used, with <see cref="ImageEncoding.Auto"/> resolved.</summary>
    public ImageEncoding ResolvedEncoding =>
        Flow != FlowMethod.None && FlowFormat == FlowFormat.Seed && Encoding == ImageEncoding.Auto
            ? ImageEncoding.Png
            : ImageEncoder.Resolve(Encoding, PixelType);

    /// <summary>The flow images' encoding, with <see cref="ImageEncoding.Auto"/> resolved to the frames'.</summary>
    public ImageEncoding ResolvedFlowEncoding => FlowEncoding == ImageEncoding.Auto ? ResolvedEncoding : ImageEncoder.Resolve(FlowEncoding, PixelType);

    /// <summary>Checks every value and every combination.</summary>
    /// <exception cref="UsageException">A value or a combination is not allowed; the message says which and why.</exception>
    public void Validate()
    {
        if (Inputs.Count == 0 && InputList is null)
        {
            throw new UsageException("convert: give at least one input file or folder, or --input-list FILE");
        }

        if (string.IsNullOrWhiteSpace(OutputDirectory))
        {
            throw new UsageException("-o/--output: give the folder the record files go to");
        }

        if (VideosPerFile < 1)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--videos-per-file: expected at least 1, got {VideosPerFile}"));
        }

        if (JpegQuality is < 1 or > 100)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--jpeg-quality: expected 1 to 100, got {JpegQuality}"));
        }

        if (Prefix.Length == 0 || Prefix.IndexOfAny(['/', '\\']) >= 0 || Prefix.StartsWith('.'))
        {
            throw new UsageException($"--prefix: expected a plain file name start without '/' or a leading '.', got '{Prefix}'");
        }

        if (MaxRecordBytes < 1)
        {
            throw new UsageException("--max-record-bytes: expected a positive number of bytes");
        }

        if (Sampling == SamplingMode.Fps && TargetFps is not > 0m)
        {
            throw new UsageException("--sampling fps needs --fps F with F > 0, e.g. --fps 10");
        }

        if (TargetFps is { } rate && (Sampling != SamplingMode.Fps || rate <= 0m))
        {
            throw new UsageException(rate <= 0m
                ? string.Create(CultureInfo.InvariantCulture, $"--fps: expected a rate above 0, got {rate}")
                : "--fps selects fps sampling: leave --sampling out or give --sampling fps");
        }

        FrameResize.Validate();
        if (Jobs < 1)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--jobs: expected at least 1, got {Jobs}"));
        }

        if (LabelsFile is not null && LabelsFromFolder)
        {
            throw new UsageException("--labels and --labels-from-folder contradict each other: give one");
        }

        if (LabelsFile is null && (LabelVideoColumn is not null || LabelColumn is not null))
        {
            throw new UsageException("--label-video-column and --label-column need --labels FILE.csv");
        }

        if (WriteIndex && Compression != TfRecordCompression.None)
        {
            throw new UsageException("--index needs uncompressed records (readers seek into the file): leave out --compression");
        }

        if (Resume && Overwrite)
        {
            throw new UsageException("--resume and --overwrite contradict each other: give one");
        }

        var encoding = ResolvedEncoding;
        if (encoding == ImageEncoding.Raw && Layout == RecordLayout.Sequence)
        {
            throw new UsageException("--encoding raw cannot be used with --layout sequence (MediaSequence readers decode JPEG and PNG only)");
        }

        if (Layout == RecordLayout.Tfds)
        {
            TfdsDataset.Validate(this);
            if (Worker is not null)
            {
                throw new UsageException("--layout tfds cannot be split over workers yet (its dataset_info.json is written by the one run that writes every file): run it as one process");
            }
        }
        else if (Split != TfdsLayout.DefaultSplit)
        {
            throw new UsageException("--split names a TensorFlow Datasets split: it needs --layout tfds");
        }

        ValidateFlow(encoding);
    }

    private void ValidateFlow(ImageEncoding encoding)
    {
        if (Flow == FlowMethod.None)
        {
            return;
        }

        if (!double.IsFinite(FlowBound) || FlowBound <= 0)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--flow-bound: expected pixels per frame above 0, got {FlowBound}"));
        }

        if (FlowSize is { } flowSize && (flowSize.Width < 8 || flowSize.Height < 8))
        {
            throw new UsageException($"--flow-size: flow needs frames of at least 8x8, got {flowSize}");
        }

        if (FlowPreset == FlowPreset.Seed && Flow != FlowMethod.Farneback)
        {
            throw new UsageException($"--flow-preset seed is Farneback's (the original tool's parameters): use it with --flow farneback, not --flow {Word(Flow)}");
        }

        if (FlowPairs == FlowPairs.Stored && Frames.Count == 1)
        {
            throw new UsageException("--flow-pairs stored with --frames 1 has no pair of stored frames (every entry would be zero flow): use --flow-pairs next");
        }

        if (FlowFormat == FlowFormat.Seed)
        {
            if (Layout != RecordLayout.Example)
            {
                throw new UsageException($"--flow-format seed (flow as a 4th channel) exists in the example layout only: use --flow-format xy with --layout {Word(Layout)}");
            }

            if (encoding == ImageEncoding.Jpeg)
            {
                throw new UsageException("--flow-format seed adds flow as a 4th channel, which JPEG cannot hold: use --encoding png or raw");
            }

            if (encoding == ImageEncoding.Png && Color == ColorMode.Gray)
            {
                throw new UsageException("--flow-format seed with --color gray makes 2-channel frames, which PNG cannot hold: use --encoding raw or --color rgb");
            }

            return;
        }

        if (ResolvedFlowEncoding == ImageEncoding.Raw && Layout == RecordLayout.Sequence)
        {
            throw new UsageException("--flow-encoding raw cannot be used with --layout sequence (MediaSequence readers decode JPEG and PNG only)");
        }
    }

    /// <summary>
    /// Every option that shapes the output bytes, by command-line name without dashes, in a stable text form. Options
    /// that do not change the output (jobs, quiet, overwrite, resume, the output folder) are left out.
    /// </summary>
    public IReadOnlyDictionary<string, string> Describe()
    {
        var c = CultureInfo.InvariantCulture;
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["color"] = Word(Color),
            ["compression"] = Word(Compression),
            ["dtype"] = Word(PixelType),
            ["encoding"] = Word(ResolvedEncoding),
            ["flow"] = Word(Flow),
            ["flow-bound"] = Flow == FlowMethod.None || FlowFormat == FlowFormat.Seed ? "" : FlowBound.ToString("R", c),
            ["flow-encoding"] = Flow == FlowMethod.None || FlowFormat == FlowFormat.Seed ? "" : Word(ResolvedFlowEncoding),
            ["flow-format"] = Flow == FlowMethod.None ? "" : Word(FlowFormat),
            ["flow-pairs"] = Flow == FlowMethod.None ? "" : Word(FlowPairs),
            ["flow-preset"] = Flow == FlowMethod.None ? "" : Word(FlowPreset),
            ["flow-size"] = Flow == FlowMethod.None ? "" : FlowSize?.ToString() ?? "stored",
            ["frames"] = Frames.ToString(),
            ["jpeg-quality"] = JpegQuality.ToString(c),
            ["labels"] = LabelsFromFolder ? "folder" : LabelsFile is null ? "none" : "csv sha256 " + FileHash(LabelsFile),
            ["label-column"] = LabelColumn ?? "",
            ["label-video-column"] = LabelVideoColumn ?? "",
            ["missing-label"] = HasLabels ? Word(MissingLabel) : "",
            ["layout"] = Word(Layout),
            ["max-record-bytes"] = MaxRecordBytes.ToString(c),
            ["pattern"] = string.Join(" ", Patterns),
            ["prefix"] = Prefix,
            ["sampling"] = Sampling == SamplingMode.Fps ? string.Create(c, $"fps {TargetFps}") : Word(Sampling),
            ["short-video"] = Word(ShortVideo),
            ["shuffle"] = ShuffleSeed?.ToString(c) ?? "",
            ["split"] = Layout == RecordLayout.Tfds ? Split : "",
            ["size"] = Size?.ToString() ?? "source",
            ["resize"] = Resize == ResizeMode.ShortSide ? string.Create(c, $"short-side {ShortSide}") : Word(Resize),
            ["videos-per-file"] = VideosPerFile.ToString(c),
        };
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
            throw new UsageException($"--labels: cannot read {path}: {e.Message}", e);
        }
    }

    private static string Word<T>(T value)
        where T : struct, Enum => OptionWord.Of(value);
}
