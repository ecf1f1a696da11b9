using Video2TfRecord.Audio;
using Video2TfRecord.Conversion;
using Video2TfRecord.Conversion.Annotations;
using Video2TfRecord.Conversion.Inputs;
using Video2TfRecord.Conversion.Output;
using Video2TfRecord.Conversion.Sharding;
using Video2TfRecord.Flow;
using Video2TfRecord.Frames;
using Video2TfRecord.Records;
using Video2TfRecord.Sampling;
using Video2TfRecord.TfRecords;
using Video2TfRecord.Video;

namespace Video2TfRecord.Options;

/// <summary>
/// Every option of <c>convert</c>: name, words, default, help and parsing, and how the words given become
/// <see cref="ConversionOptions"/> with the implications the library applies (<c>--fps</c> selects fps sampling, a
/// flow setting needs a method, …). The command line builds its options from these rows, the web service reads form
/// fields with them, and the Python package maps keyword arguments onto them, so every front end has the same names,
/// defaults and messages.
/// </summary>
public static class ConvertOptionTable
{
    /// <summary><c>-o</c>, <c>--output</c>.</summary>
    public static OptionDefinition<string?> Output { get; } = new("output", "Folder for the record files (created if missing)", OptionArity.Value, null, word => word)
    {
        ShortName = "o",
        Required = true,
    };

    /// <summary><c>--input-list</c>.</summary>
    public static OptionDefinition<string?> InputList { get; } = OptionDefinition.Text("input-list",
        "Also convert the paths in this file, one per line ('-': standard input; blank and # lines skipped; a line starting with \\ is the rest of the line exactly)");

    /// <summary><c>--pattern</c>, repeatable.</summary>
    public static OptionDefinition<string> Pattern { get; } = OptionDefinition.Repeated("pattern",
        "File-name glob (* and ?) that replaces the default video extensions; repeatable");

    /// <summary><c>--shuffle</c>.</summary>
    public static OptionDefinition<ulong?> Shuffle { get; } = OptionDefinition.OptionalUInt64("shuffle",
        "Shuffle the videos with this seed before sharding, so class-sorted trees mix in every file", InputOptions.ShuffleRange);

    /// <summary><c>--prefix</c>.</summary>
    public static OptionDefinition<string> Prefix { get; } = OptionDefinition.Text("prefix", "Output file name prefix", OutputOptions.DefaultPrefix);

    /// <summary><c>--videos-per-file</c>.</summary>
    public static OptionDefinition<int> VideosPerFile { get; } = OptionDefinition.Int32("videos-per-file", "Records per output file", OutputOptions.DefaultVideosPerFile,
        OutputOptions.VideosPerFileRange);

    /// <summary><c>--frames</c>: a number or <c>all</c>.</summary>
    public static OptionDefinition<FrameCount> Frames { get; } = OptionDefinition.Parsed("frames", "Frames kept per video: a number, or 'all'",
        FrameCount.Of(SamplingOptions.DefaultFrames), FrameCount.Parse, defaultText: SamplingOptions.DefaultFrames.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary><c>--sampling</c>.</summary>
    public static OptionDefinition<SamplingMode> Sampling { get; } = OptionDefinition.Choice<SamplingMode>("sampling", "How kept frames are spaced");

    /// <summary><c>--fps</c>.</summary>
    public static OptionDefinition<decimal?> Fps { get; } = OptionDefinition.OptionalDecimal("fps",
        "Sample at a fixed rate by presentation time (selects --sampling fps); without --frames every target is kept", SamplingOptions.FpsRange);

    /// <summary><c>--short-video</c>.</summary>
    public static OptionDefinition<ShortVideoPolicy> ShortVideo { get; } = OptionDefinition.Choice<ShortVideoPolicy>("short-video", "Videos with fewer frames than --frames");

    /// <summary><c>--size</c>.</summary>
    public static OptionDefinition<FrameSize?> Size { get; } = OptionDefinition.Parsed<FrameSize?>("size",
        "Stored frame size WxH, e.g. 128x128 (default: the source size)", null, word => FrameSize.Parse(word));

    /// <summary><c>--resize</c>.</summary>
    public static OptionDefinition<ResizeMode> Resize { get; } = OptionDefinition.Choice<ResizeMode>("resize",
        "How frames reach the size: stretch to WxH, fit inside (black pad), fill (center crop), or short-side S");

    /// <summary><c>--short-side</c>.</summary>
    public static OptionDefinition<int?> ShortSide { get; } = OptionDefinition.OptionalInt32("short-side",
        "With --resize short-side: the short side in pixels, aspect kept (implies --resize short-side)", FrameResize.ShortSideRange);

    /// <summary><c>--color</c>.</summary>
    public static OptionDefinition<ColorMode> Color { get; } = OptionDefinition.Choice<ColorMode>("color", "Stored channels");

    /// <summary><c>--dtype</c>.</summary>
    public static OptionDefinition<PixelType> DType { get; } = OptionDefinition.Choice<PixelType>("dtype", "Stored sample type");

    /// <summary><c>--encoding</c>.</summary>
    public static OptionDefinition<ImageEncoding> Encoding { get; } = OptionDefinition.Choice<ImageEncoding>("encoding", "Image encoding (auto: jpeg for uint8, png for uint16)");

    /// <summary><c>--jpeg-quality</c>.</summary>
    public static OptionDefinition<int> JpegQuality { get; } = OptionDefinition.Int32("jpeg-quality", "JPEG quality", ImageOptions.DefaultJpegQuality, ImageOptions.JpegQualityRange);

    /// <summary><c>--layout</c>.</summary>
    public static OptionDefinition<RecordLayout> Layout { get; } = OptionDefinition.Choice<RecordLayout>("layout", "Record layout");

    /// <summary><c>--compression</c>.</summary>
    public static OptionDefinition<TfRecordCompression> Compression { get; } = OptionDefinition.Choice<TfRecordCompression>("compression", "Output compression");

    /// <summary><c>--flow</c>.</summary>
    public static OptionDefinition<FlowMethod> Flow { get; } = OptionDefinition.Choice<FlowMethod>("flow",
        "Optical flow: farneback (the original's; OpenCV's results, computed here), tvl1 (accurate, the action-recognition standard), dis (fast)");

    /// <summary><c>--flow-preset</c>.</summary>
    public static OptionDefinition<FlowPreset> FlowPreset { get; } = OptionDefinition.Choice<FlowPreset>("flow-preset",
        "Flow parameters: default, or seed (the original tool's Farneback parameters)");

    /// <summary><c>--flow-pairs</c>.</summary>
    public static OptionDefinition<FlowPairs> FlowPairs { get; } = OptionDefinition.Choice<FlowPairs>("flow-pairs",
        "Flow of each stored frame to the source frame after it (next), or from the previous stored frame (stored, the original's)");

    /// <summary><c>--flow-format</c>.</summary>
    public static OptionDefinition<FlowFormat> FlowFormat { get; } = OptionDefinition.Choice<FlowFormat>("flow-format",
        "Flow as dx, dy images clipped to ±bound (xy), or the original's gray 4th channel (seed)");

    /// <summary><c>--flow-bound</c>.</summary>
    public static OptionDefinition<double> FlowBound { get; } = OptionDefinition.Double("flow-bound",
        "xy: clip flow to ±this many pixels per frame before mapping to the sample range", FlowOptions.DefaultBound, FlowOptions.BoundRange);

    /// <summary><c>--flow-size</c>.</summary>
    public static OptionDefinition<FrameSize?> FlowSize { get; } = OptionDefinition.Parsed<FrameSize?>("flow-size",
        "Compute flow on frames resized to WxH (faster when smaller), then resize it to the stored size, scaling the vectors", null,
        word => FrameSize.Parse(word, "--flow-size"));

    /// <summary><c>--flow-encoding</c>.</summary>
    public static OptionDefinition<ImageEncoding> FlowEncoding { get; } = OptionDefinition.Choice<ImageEncoding>("flow-encoding",
        "Encoding of flow images (auto: as the frames; JPEG flow is 4:4:4)");

    /// <summary><c>--labels</c>.</summary>
    public static OptionDefinition<string?> Labels { get; } = OptionDefinition.Text("labels",
        "CSV with a header row giving each video its label (video column: path, video, file, filename, video_id or id; label column: label)");

    /// <summary><c>--label-video-column</c>.</summary>
    public static OptionDefinition<string?> LabelVideoColumn { get; } = OptionDefinition.Text("label-video-column", "The CSV column naming the videos, if not a recognized name");

    /// <summary><c>--label-column</c>.</summary>
    public static OptionDefinition<string?> LabelColumn { get; } = OptionDefinition.Text("label-column", "The CSV column holding the labels, if not 'label'");

    /// <summary><c>--labels-from-folder</c>.</summary>
    public static OptionDefinition<bool> LabelsFromFolder { get; } = OptionDefinition.Flag("labels-from-folder",
        "Take each video's parent folder name as its label (UCF101/Kinetics trees)");

    /// <summary><c>--missing-label</c>.</summary>
    public static OptionDefinition<MissingLabelPolicy> MissingLabel { get; } = OptionDefinition.Choice<MissingLabelPolicy>("missing-label",
        "Videos without a label: skip them (listed, exit 3), refuse to start, or keep them unlabeled");

    /// <summary><c>--clips</c>.</summary>
    public static OptionDefinition<string?> Clips { get; } = OptionDefinition.Text("clips",
        "CSV with one clip per row (video, start, end in seconds, end exclusive; optional label, caption, split): one record per clip");

    /// <summary><c>--clip-length</c> (seconds).</summary>
    public static OptionDefinition<decimal?> ClipLength { get; } = OptionDefinition.OptionalDecimal("clip-length",
        "Cut every video into windows of this many seconds, one record each (the last partial window follows --short-video)", ClipOptions.SecondsRange);

    /// <summary><c>--clip-stride</c> (seconds).</summary>
    public static OptionDefinition<decimal?> ClipStride { get; } = OptionDefinition.OptionalDecimal("clip-stride",
        "With --clip-length: seconds from one window's start to the next's (default: the length)", ClipOptions.SecondsRange);

    /// <summary><c>--split-column</c>.</summary>
    public static OptionDefinition<string?> SplitColumn { get; } = OptionDefinition.Text("split-column",
        "The column of the --clips (or --labels) CSV naming each record's split, if not 'split'; each split is its own file set");

    /// <summary><c>--audio</c>: bare, <c>optional</c> or <c>required</c>.</summary>
    public static OptionDefinition<AudioMode> Audio { get; } = new("audio",
        "Store the first audio stream, resampled, as float32 in [-1, 1]: bare or 'optional' (videos without audio get none, with a note), or 'required' (they are skipped); FFmpeg decoder only",
        OptionArity.OptionalValue, AudioMode.Off, ParseAudioMode)
    {
        Bare = AudioMode.Optional,
        HelpName = "optional|required",
    };

    /// <summary><c>--audio-rate</c>.</summary>
    public static OptionDefinition<int> AudioRate { get; } = OptionDefinition.Int32("audio-rate", "Audio samples per second per channel", AudioOptions.DefaultSampleRate,
        AudioOptions.SampleRateRange);

    /// <summary><c>--audio-channels</c>.</summary>
    public static OptionDefinition<int> AudioChannels { get; } = OptionDefinition.Int32("audio-channels", "Audio channels (1: mono; more are interleaved)", 1, AudioOptions.ChannelsRange);

    /// <summary><c>--split</c>.</summary>
    public static OptionDefinition<string> Split { get; } = OptionDefinition.Text("split", "With --layout tfds: the split the files belong to", TfdsLayout.DefaultSplit);

    /// <summary><c>--worker-index</c>: a number or <c>auto</c>.</summary>
    public static OptionDefinition<string?> WorkerIndex { get; } = OptionDefinition.Text("worker-index",
        "Convert only the shards s with s mod K = I of a run split over K processes (I from 0, or auto: Kubernetes JOB_COMPLETION_INDEX or a Slurm array); merge-manifests joins their manifests");

    /// <summary><c>--worker-count</c>.</summary>
    public static OptionDefinition<int?> WorkerCount { get; } = OptionDefinition.OptionalInt32("worker-count", "K, the number of worker processes (see --worker-index)",
        WorkerSlice.CountRange);

    /// <summary><c>--overwrite</c>.</summary>
    public static OptionDefinition<bool> Overwrite { get; } = OptionDefinition.Flag("overwrite",
        "Replace a previous run's files in the output folder (only this tool's files are deleted)");

    /// <summary><c>--resume</c>.</summary>
    public static OptionDefinition<bool> Resume { get; } = OptionDefinition.Flag("resume",
        "Continue a run in the output folder: keep its finished files, redo the rest (same options and videos required)");

    /// <summary><c>-j</c>, <c>--jobs</c>; not given: the context's core count.</summary>
    public static OptionDefinition<int?> Jobs { get; } = new("jobs",
        "Videos converted at once (default: the number of cores; never more than the videos to convert); the output is the same for any value",
        OptionArity.Value, null, word => OptionDefinition.ParseNumber<int>("jobs", word, ConversionOptions.JobsRange))
    {
        ShortName = "j",
        Range = ConversionOptions.JobsRange,
    };

    /// <summary><c>--max-record-bytes</c>.</summary>
    public static OptionDefinition<long> MaxRecordBytes { get; } = OptionDefinition.Int64("max-record-bytes",
        "Skip a video whose record would be larger (default 1 GiB, at most 2147483647: protobuf's limit)", OutputOptions.DefaultMaxRecordBytes,
        OutputOptions.MaxRecordBytesRange);

    /// <summary><c>--index</c>.</summary>
    public static OptionDefinition<bool> Index { get; } = OptionDefinition.Flag("index",
        "Also write FILE.idx beside every record file (DALI and PyTorch tfrecord readers); uncompressed only");

    /// <summary><c>--missing-input</c>.</summary>
    public static OptionDefinition<MissingInputPolicy> MissingInput { get; } = OptionDefinition.Choice<MissingInputPolicy>("missing-input",
        "An input (or --input-list line) that does not exist: refuse to start, or list it as failed and convert the rest (exit 3)");

    /// <summary><c>--decoder</c>.</summary>
    public static OptionDefinition<DecoderBackend> Decoder { get; } = OptionDefinition.Choice<DecoderBackend>("decoder",
        "Video decoder: the system's FFmpeg libraries (ffmpeg: fast, seeks, AV1), OpenCV's bundled FFmpeg (opencv: portable), or auto (ffmpeg where it loads)");

    /// <summary><c>--dry-run</c>: the front end prints the plan (<see cref="VideoConverter.PlanAsync"/>) instead of converting.</summary>
    public static OptionDefinition<bool> DryRun { get; } = new("dry-run", "Print the videos and the files they would go to, write nothing", OptionArity.Flag, false,
        word => OptionDefinition.ParseBoolean("dry-run", word))
    {
        Bare = true,
        FrontEnd = true,
    };

    /// <summary><c>-q</c>, <c>--quiet</c>: the front end shows no progress.</summary>
    public static OptionDefinition<bool> Quiet { get; } = new("quiet", "No progress (warnings and skips are still printed)", OptionArity.Flag, false,
        word => OptionDefinition.ParseBoolean("quiet", word))
    {
        Bare = true,
        FrontEnd = true,
        ShortName = "q",
    };

    /// <summary>Every row of <c>convert</c>, in the order help lists them, the storage options (<see cref="StorageOptionTable"/>) last.</summary>
    public static IReadOnlyList<OptionDefinition> All { get; } =
    [
        Output, InputList, Pattern, Shuffle, Prefix, VideosPerFile, Frames, Sampling, Fps, ShortVideo, Size, Resize, ShortSide, Color, DType, Encoding,
        JpegQuality, Layout, Compression, Flow, FlowPreset, FlowPairs, FlowFormat, FlowBound, FlowSize, FlowEncoding, Labels, LabelVideoColumn, LabelColumn,
        LabelsFromFolder, MissingLabel, Clips, ClipLength, ClipStride, SplitColumn, Audio, AudioRate, AudioChannels,
        Split, WorkerIndex, WorkerCount, Overwrite, Resume, Jobs, MaxRecordBytes, Index, MissingInput, Decoder, DryRun, Quiet,
        .. StorageOptionTable.All,
    ];

    /// <summary>The row named <paramref name="name"/> (long name without dashes), or null.</summary>
    public static OptionDefinition? Find(string name) => All.FirstOrDefault(o => o.Name == name);

    /// <summary>
    /// The options of a run: <paramref name="inputs"/> and the options <paramref name="words"/> give, with the defaults
    /// and implications of the library for every option not given. Not yet validated (<see cref="ConversionOptions.Validate"/>).
    /// </summary>
    /// <param name="inputs">Video files and folders (the command line's INPUT arguments).</param>
    /// <param name="words">The options given, by long name.</param>
    /// <param name="context">Environment, standard input and core count.</param>
    /// <exception cref="OptionException">An option is unknown, its word is refused, or a flow setting comes without a method.</exception>
    public static ConversionOptions Build(IReadOnlyList<string> inputs, OptionWords words, OptionContext context)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var name in words.Names)
        {
            if (Find(name) is null)
            {
                throw new OptionException(name, $"unknown option '--{name}'");
            }
        }

        if (Flow.ValueIn(words) == FlowMethod.None
            && new OptionDefinition[] { FlowPreset, FlowPairs, FlowFormat, FlowBound, FlowSize, FlowEncoding }.FirstOrDefault(o => words.Contains(o.Name)) is { } unused)
        {
            // Also a setting given at its default value: the library sees only values that differ.
            throw FlowOptions.WithoutMethod(unused.Name);
        }

        var listPath = InputList.ValueIn(words);
        return new ConversionOptions
        {
            Inputs = new InputOptions
            {
                Paths = inputs,
                List = listPath is null ? null : listPath == "-" ? Conversion.Inputs.InputList.FromReader(context.StandardInput) : Conversion.Inputs.InputList.FromFile(listPath),
                Patterns = Pattern.ValuesIn(words),
                ShuffleSeed = Shuffle.ValueIn(words),
                MissingInput = MissingInput.ValueIn(words),
            },
            Output = new OutputOptions
            {
                Directory = Output.ValueIn(words)!,
                Prefix = Prefix.ValueIn(words),
                VideosPerFile = VideosPerFile.ValueIn(words),
                Layout = Layout.ValueIn(words),
                Compression = Compression.ValueIn(words),
                Split = Split.ValueIn(words),
                MaxRecordBytes = MaxRecordBytes.ValueIn(words),
                WriteIndex = Index.ValueIn(words),
                Overwrite = Overwrite.ValueIn(words),
                Resume = Resume.ValueIn(words),
                Worker = WorkerSlice.Resolve(WorkerIndex.ValueIn(words), WorkerCount.ValueIn(words), context.Environment),
            },
            Decoder = Decoder.ValueIn(words),
            Sampling = SamplingOptions.Create(Given(Frames, words), Given(Sampling, words), Fps.ValueIn(words), ShortVideo.ValueIn(words)),
            Images = new ImageOptions
            {
                Resize = FrameResize.Create(Given(Resize, words), Size.ValueIn(words), ShortSide.ValueIn(words)),
                Color = Color.ValueIn(words),
                PixelType = DType.ValueIn(words),
                Encoding = Encoding.ValueIn(words),
                JpegQuality = JpegQuality.ValueIn(words),
            },
            Flow = new FlowOptions
            {
                Method = Flow.ValueIn(words),
                Preset = FlowPreset.ValueIn(words),
                Pairs = FlowPairs.ValueIn(words),
                Format = FlowFormat.ValueIn(words),
                Bound = FlowBound.ValueIn(words),
                Size = FlowSize.ValueIn(words),
                Encoding = FlowEncoding.ValueIn(words),
            },
            Labels = new LabelOptions
            {
                File = Labels.ValueIn(words),
                VideoColumn = LabelVideoColumn.ValueIn(words),
                LabelColumn = LabelColumn.ValueIn(words),
                FromFolder = LabelsFromFolder.ValueIn(words),
                Missing = MissingLabel.ValueIn(words),
            },
            Clips = new ClipOptions
            {
                File = Clips.ValueIn(words),
                Length = ClipLength.ValueIn(words),
                Stride = ClipStride.ValueIn(words),
                SplitColumn = SplitColumn.ValueIn(words),
            },
            Audio = new AudioOptions
            {
                Mode = Audio.ValueIn(words),
                SampleRate = AudioRate.ValueIn(words),
                Channels = AudioChannels.ValueIn(words),
            },
            Storage = StorageOptionTable.Build(words),
            Jobs = Jobs.ValueIn(words) ?? context.ProcessorCount,
        };
    }

    // Given, or null where the library's default (and its implications) applies.
    private static T? Given<T>(OptionDefinition<T> option, OptionWords words)
        where T : struct => words.Contains(option.Name) ? option.ValueIn(words) : null;

    // --audio takes an optional word, so on the command line it also takes the token after it: say so when that was an input.
    private static AudioMode ParseAudioMode(string word) => word.ToLowerInvariant() switch
    {
        "optional" => AudioMode.Optional,
        "required" => AudioMode.Required,
        _ => throw new OptionException("audio", $"--audio: expected optional or required, or nothing; got '{word}' (write --audio optional, or put --audio after the inputs)"),
    };
}
