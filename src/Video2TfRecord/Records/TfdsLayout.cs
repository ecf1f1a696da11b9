using System.Text.RegularExpressions;
using Google.Protobuf;
using Video2TfRecord.Flow;
using Video2TfRecord.Frames;
using Video2TfRecord.Protos;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Records;

/// <summary>
/// The <see cref="RecordLayout.Tfds"/> layout: one tf.train.Example per video in the form TensorFlow Datasets' example
/// serializer writes for <c>FeaturesDict({"video": Video(...), "label": ClassLabel(...), ...})</c>.
/// </summary>
/// <remarks>
/// TFDS flattens a FeaturesDict to one feature per top-level key. A <c>Video</c> is a <c>Sequence</c> of <c>Image</c>:
/// each image serializes to one encoded string and the sequence stacks them, so the frames are one bytes_list with N
/// values under <c>video</c> (tensorflow_datasets/core/features/video_feature.py, sequence_feature.py, image_feature.py,
/// core/example_serializer.py). A <c>ClassLabel</c> is an int64 scalar, <c>Text</c> a single bytes value and an int64
/// <c>Tensor</c> an int64_list holding its values flattened. Keys are serialized in ordinal order, like the other layouts.
/// </remarks>
internal sealed partial class TfdsLayout : IRecordLayout
{
    /// <summary>Video feature (bytes_list, one encoded frame per value, in order).</summary>
    public const string Video = "video";
    /// <summary>ClassLabel feature (int64, one value; -1 for a video kept without label). Present only with labels.</summary>
    public const string Label = "label";
    /// <summary>Text feature: relative path without extension.</summary>
    public const string VideoId = "video_id";
    /// <summary>Text feature: relative path.</summary>
    public const string VideoPath = "video_path";
    /// <summary>Tensor(int64) feature: source frame index of each stored frame.</summary>
    public const string FrameIndices = "frame_indices";
    /// <summary>Tensor(int64) feature: presentation time of each stored frame, µs from the video's first frame.</summary>
    public const string TimestampsUs = "timestamps_us";
    /// <summary>Tensor(int64, scalar) feature: true frame count of the source video.</summary>
    public const string FrameCount = "frame_count";

    /// <summary>The split a run's record files belong to unless <c>--split</c> names another.</summary>
    public const string DefaultSplit = "train";

    /// <summary>TFDS's file format name, which is also the file name's format part.</summary>
    public const string FileFormat = "tfrecord";

    /// <summary>The label value TFDS's ClassLabel accepts for "no label".</summary>
    public const long NoLabel = -1;

    private TfdsLayout()
    {
    }

    /// <summary>The layout.</summary>
    public static TfdsLayout Instance { get; } = new();

    /// <inheritdoc />
    public RecordLayout Kind => RecordLayout.Tfds;

    /// <inheritdoc />
    public FlowPacking FlowPacking => FlowPacking.Planes;

    /// <summary>Whether <paramref name="name"/> is a TFDS dataset or split name (snake_case, which TFDS keeps as it is).</summary>
    public static bool IsTfdsName(string name) => TfdsName().IsMatch(name);

    /// <summary>Refuses options TFDS cannot represent, naming the option and the reason.</summary>
    /// <exception cref="OptionException">The combination is not representable as a TFDS dataset.</exception>
    public void Validate(ImageOptions images, FlowOptions flow, LayoutOutput output)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(output);
        if (!IsTfdsName(output.Prefix))
        {
            throw new OptionException("prefix",
                $"--prefix '{output.Prefix}' is the dataset name with --layout tfds and must be a TFDS name: a lower-case letter, then lower-case letters, digits or '_' (e.g. my_videos)");
        }

        if (!IsTfdsName(output.Split))
        {
            throw new OptionException("split", $"--split '{output.Split}' must be a TFDS split name: a lower-case letter, then lower-case letters, digits or '_' (e.g. train, validation, test)");
        }

        if (images.Encoding == ImageEncoding.Raw)
        {
            throw new OptionException("encoding", "--encoding raw cannot be used with --layout tfds (tfds.features.Video stores PNG or JPEG frames): use --encoding png or jpeg");
        }

        if (flow.Enabled)
        {
            throw new OptionException("flow", "--flow cannot be used with --layout tfds (this tool declares no TFDS feature for flow yet): use --layout example or sequence for flow");
        }

        if (output.Compression != TfRecordCompression.None)
        {
            throw new OptionException("compression", "--compression cannot be used with --layout tfds (TFDS reads uncompressed TFRecord files): leave out --compression");
        }

        if (output.SplitOverWorkers)
        {
            throw new OptionException("worker-index", "--layout tfds cannot be split over workers yet (its dataset_info.json is written by the one run that writes every file): run it as one process");
        }
    }

    /// <summary>
    /// TFDS's default name, <c>{prefix}-{split}.tfrecord-00003-of-00012</c> (tensorflow_datasets/core/naming.py,
    /// <c>{DATASET}-{SPLIT}.{FILEFORMAT}-{SHARD_X_OF_Y}</c>); always uncompressed, so <paramref name="extension"/> is not used.
    /// </summary>
    public string FileName(string prefix, string? split, int shard, int shardCount, string extension) =>
        Shards(prefix, split ?? DefaultSplit).Format(shard, shardCount);

    /// <summary>The template of TFDS's shard names of <paramref name="split"/>.</summary>
    public static ShardName Shards(string prefix, string split) => new($"{prefix}-{split}.{FileFormat}", "");

    /// <summary>Whether <paramref name="fileName"/> is a shard name of this layout (any TFDS dataset and split name).</summary>
    public static bool IsShardName(string fileName) =>
        ShardName.TryParse(fileName, "", out var stem, out _, out _) && stem.EndsWith("." + FileFormat, StringComparison.Ordinal)
        && stem[..^(FileFormat.Length + 1)].Split('-', 2) is [var dataset, var split] && IsTfdsName(dataset) && IsTfdsName(split);

    /// <summary>Builds the Example for one video; image bytes are shared with <paramref name="record"/>, not copied.</summary>
    /// <param name="record">The video.</param>
    /// <param name="labeled">Whether the dataset declares a <c>label</c> feature; a record without label then stores -1.</param>
    public IMessage Build(VideoRecord record, bool labeled)
    {
        ArgumentNullException.ThrowIfNull(record);
        var frames = new BytesList();
        foreach (var image in record.Images)
        {
            frames.Value.Add(Google.Protobuf.UnsafeByteOperations.UnsafeWrap(image));
        }

        var features = new SortedFeatures<Feature>();
        features.Add(Video, new Feature { BytesList = frames });
        features.Add(VideoId, FeatureValues.Text(record.Id));
        features.Add(VideoPath, FeatureValues.Text(record.Path));
        features.Add(FrameIndices, FeatureValues.Int64s(record.FrameIndices.Select(i => (long)i)));
        features.Add(TimestampsUs, FeatureValues.Int64s(record.TimestampsUs));
        features.Add(FrameCount, FeatureValues.Int64(record.FrameCount));
        if (labeled)
        {
            features.Add(Label, FeatureValues.Int64(record.LabelIndex ?? NoLabel));
        }

        var example = new Example { Features = new Features() };
        features.CopyTo(example.Features.Feature);
        return example;
    }

    /// <summary>Frame height, from the first frame's header (features.json holds the shape; the records do not).</summary>
    long? IRecordLayout.Height(ParsedRecord record) => FirstHeader(record)?.Height;

    /// <summary>Frame width, from the first frame's header.</summary>
    long? IRecordLayout.Width(ParsedRecord record) => FirstHeader(record)?.Width;

    /// <summary>Channels, from the first frame's header.</summary>
    long? IRecordLayout.Channels(ParsedRecord record) => FirstHeader(record)?.Channels;

    /// <inheritdoc />
    string? IRecordLayout.Id(ParsedRecord record) => record.Text(VideoId);

    /// <inheritdoc />
    string? IRecordLayout.VideoPath(ParsedRecord record) => record.Text(VideoPath);

    /// <summary>The ClassLabel value (-1 is "no label").</summary>
    long? IRecordLayout.LabelIndex(ParsedRecord record) => record.Int64(Label);

    /// <summary>None: TFDS keeps class names in label.labels.txt, not in the records.</summary>
    string? IRecordLayout.LabelText(ParsedRecord record) => null;

    /// <summary>JPEG or PNG, from the first frame's header.</summary>
    string? IRecordLayout.Format(ParsedRecord record) => FirstHeader(record)?.Format;

    /// <summary>uint16 when the first frame is a 16-bit PNG, else uint8.</summary>
    string IRecordLayout.Dtype(ParsedRecord record) => FirstHeader(record) is { Bits: 16 } ? "uint16" : "uint8";

    /// <inheritdoc />
    IReadOnlyList<long> IRecordLayout.FrameIndices(ParsedRecord record) => record.Int64s(FrameIndices);

    /// <inheritdoc />
    IReadOnlyList<ByteString> IRecordLayout.Images(ParsedRecord record) => Frames(record);

    /// <summary>None: the TFDS layout stores no flow.</summary>
    IReadOnlyList<FlowEntry> IRecordLayout.FlowEntries(ParsedRecord record) => [];

    private static IReadOnlyList<ByteString> Frames(ParsedRecord record) => record.Features.Feature[Video].BytesList.Value;

    private static ImageHeader? FirstHeader(ParsedRecord record) => Frames(record) is { Count: > 0 } images ? ImageHeader.Read(images[0].Span) : null;

    // TFDS names files with camelcase_to_snakecase(name) in some versions: a snake_case name is the same either way.
    [GeneratedRegex("^[a-z][a-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex TfdsName();

    /// <summary>None: the TFDS layout stores no flow.</summary>
    float? IRecordLayout.FlowBound(ParsedRecord record) => null;

    /// <summary>None: the TFDS layout stores no flow.</summary>
    string? IRecordLayout.FlowImageFormat(ParsedRecord record) => null;
}
