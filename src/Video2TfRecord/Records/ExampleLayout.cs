using System.Globalization;
using Google.Protobuf;
using Video2TfRecord.Audio;
using Video2TfRecord.Flow;
using Video2TfRecord.Frames;
using Video2TfRecord.Protos;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Records;

/// <summary>
/// The <see cref="RecordLayout.Example"/> layout: one tf.train.Example per video with the original tool's keys
/// (<c>blob/i</c>, <c>height</c>, <c>width</c>, <c>depth</c>) plus metadata old readers ignore.
/// </summary>
internal sealed class ExampleLayout : IRecordLayout
{
    // The single-valued fields IRecordLayout's accessors read.
    private static readonly ContextKeys Fields = new(Height, Width, Depth, VideoId, VideoPath, LabelIndex, LabelText, ImageFormat, ImageDtype, FrameIndex);

    /// <summary>Prefix of the image keys: <c>blob/0</c> … <c>blob/{N-1}</c>.</summary>
    public const string BlobPrefix = "blob/";
    /// <summary>int64: frame height in pixels.</summary>
    public const string Height = "height";
    /// <summary>int64: frame width in pixels.</summary>
    public const string Width = "width";
    /// <summary>int64: channels per stored image.</summary>
    public const string Depth = "depth";
    /// <summary>bytes: relative path without extension.</summary>
    public const string VideoId = "video/id";
    /// <summary>bytes: relative path.</summary>
    public const string VideoPath = "video/path";
    /// <summary>int64: true frame count of the source video.</summary>
    public const string VideoFrameCount = "video/frame_count";
    /// <summary>float: frame rate the container reports.</summary>
    public const string VideoFps = "video/fps";
    /// <summary>int64 list: source frame index of each stored frame.</summary>
    public const string FrameIndex = "frames/index";
    /// <summary>int64 list: presentation time of each stored frame, µs from the first frame.</summary>
    public const string FrameTimestamp = "frames/timestamp_us";
    /// <summary>bytes: JPEG, PNG or RAW.</summary>
    public const string ImageFormat = "image/format";
    /// <summary>bytes: uint8 or uint16.</summary>
    public const string ImageDtype = "image/dtype";
    /// <summary>bytes: RGB or GRAY.</summary>
    public const string ImageColorspace = "image/colorspace";
    /// <summary>int64: label index.</summary>
    public const string LabelIndex = "label/index";
    /// <summary>bytes: label text.</summary>
    public const string LabelText = "label/text";

    /// <summary>bytes: for a clip, the id of the video it is cut from.</summary>
    public const string SourceId = "video/source_id";
    /// <summary>int64: for a clip, the start of its window, µs on the video's clock (the name the sequence layout uses too).</summary>
    public const string ClipStart = "clip/start/timestamp";
    /// <summary>int64: for a clip, the end of its window (exclusive), µs on the video's clock.</summary>
    public const string ClipEnd = "clip/end/timestamp";
    /// <summary>bytes: the caption, UTF-8.</summary>
    public const string Caption = "caption/text";
    /// <summary>float list: the audio samples in [−1, 1], interleaved when there is more than one channel.</summary>
    public const string AudioSamples = "audio/samples";
    /// <summary>int64: audio sample frames per second.</summary>
    public const string AudioSampleRate = "audio/sample_rate";
    /// <summary>int64: audio channels.</summary>
    public const string AudioChannels = "audio/channels";
    /// <summary>int64: the time of the first audio sample, µs on the video's clock.</summary>
    public const string AudioTimestamp = "audio/timestamp_us";

    /// <summary>Prefix of the dx flow images: <c>flow/x/0</c> … (one channel each, format <see cref="FlowImageFormat"/>).</summary>
    public const string FlowXPrefix = "flow/x/";
    /// <summary>Prefix of the dy flow images: <c>flow/y/0</c> ….</summary>
    public const string FlowYPrefix = "flow/y/";
    /// <summary>float: the clip bound b; a sample q means q·2b/max − b pixels per frame (max 255 or 65535).</summary>
    public const string FlowBound = "flow/bound";
    /// <summary>bytes: JPEG, PNG or RAW, the flow images' encoding.</summary>
    public const string FlowImageFormat = "flow/image_format";
    /// <summary>bytes: farneback, tvl1 or dis (both layouts).</summary>
    public const string FlowMethod = "flow/method";
    /// <summary>bytes: next or stored, the frames each flow entry is between (both layouts).</summary>
    public const string FlowPairs = "flow/pairs";
    /// <summary>bytes: xy or seed (seed: flow is the frames' last channel) (both layouts).</summary>
    public const string FlowFormat = "flow/format";

    private ExampleLayout()
    {
    }

    /// <summary>The layout.</summary>
    public static ExampleLayout Instance { get; } = new();

    /// <inheritdoc />
    public RecordLayout Kind => RecordLayout.Example;

    /// <inheritdoc />
    public FlowPacking FlowPacking => FlowPacking.Planes;

    /// <summary>The key of stored frame <paramref name="position"/>.</summary>
    public static string BlobKey(int position) => BlobPrefix + position.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public void Validate(ImageOptions images, FlowOptions flow, LayoutOutput output)
    {
        // Every encoding, flow format and compression fits: this is the original tool's layout.
    }

    /// <inheritdoc />
    public string FileName(string prefix, string? split, int shard, int shardCount, string extension) =>
        new ShardName(split is null ? prefix : $"{prefix}-{split}", extension).Format(shard, shardCount);

    /// <inheritdoc />
    public IMessage Build(VideoRecord record, bool labeled)
    {
        ArgumentNullException.ThrowIfNull(record);
        var features = new SortedFeatures<Feature>();
        for (var i = 0; i < record.Images.Count; i++)
        {
            features.Add(BlobKey(i), FeatureValues.Bytes(record.Images[i]));
        }

        features.Add(Height, FeatureValues.Int64(record.Height));
        features.Add(Width, FeatureValues.Int64(record.Width));
        features.Add(Depth, FeatureValues.Int64(record.Channels));
        features.Add(VideoId, FeatureValues.Text(record.Id));
        features.Add(VideoPath, FeatureValues.Text(record.Path));
        features.Add(VideoFrameCount, FeatureValues.Int64(record.FrameCount));
        features.Add(VideoFps, FeatureValues.Float((float)record.Fps));
        features.Add(FrameIndex, FeatureValues.Int64s(record.FrameIndices.Select(i => (long)i)));
        features.Add(FrameTimestamp, FeatureValues.Int64s(record.TimestampsUs));
        features.Add(ImageFormat, FeatureValues.Text(RecordValues.FormatName(record.Encoding)));
        features.Add(ImageDtype, FeatureValues.Text(RecordValues.DtypeName(record.PixelType)));
        features.Add(ImageColorspace, FeatureValues.Text(RecordValues.ColorspaceName(record.Color)));
        if (record.Flow is { } flow)
        {
            FlowValues.AddCommon(features, flow);
            for (var i = 0; i < flow.X.Count; i++)
            {
                features.Add(FlowXPrefix + i.ToString(CultureInfo.InvariantCulture), FeatureValues.Bytes(flow.X[i]));
                features.Add(FlowYPrefix + i.ToString(CultureInfo.InvariantCulture), FeatureValues.Bytes(flow.Y[i]));
            }

            if (flow.Format == Flow.FlowFormat.Xy)
            {
                features.Add(FlowBound, FeatureValues.Float((float)flow.Bound));
                features.Add(FlowImageFormat, FeatureValues.Text(RecordValues.FormatName(flow.Encoding)));
            }
        }

        if (record.LabelIndex is { } labelIndex)
        {
            features.Add(LabelIndex, FeatureValues.Int64(labelIndex));
        }

        if (record.LabelText is { } labelText)
        {
            features.Add(LabelText, FeatureValues.Text(labelText));
        }

        if (record.SourceId is { } sourceId)
        {
            features.Add(SourceId, FeatureValues.Text(sourceId));
        }

        if (record.Clip is { } clip)
        {
            features.Add(ClipStart, FeatureValues.Int64(clip.StartUs));
            features.Add(ClipEnd, FeatureValues.Int64(clip.EndUs));
        }

        if (record.Caption is { } caption)
        {
            features.Add(Caption, FeatureValues.Text(caption));
        }

        if (record.Audio is { } audio)
        {
            features.Add(AudioSamples, FeatureValues.Floats(audio.Samples));
            features.Add(AudioSampleRate, FeatureValues.Int64(audio.SampleRate));
            features.Add(AudioChannels, FeatureValues.Int64(audio.Channels));
            features.Add(AudioTimestamp, FeatureValues.Int64(audio.StartUs));
        }

        var example = new Example { Features = new Features() };
        features.CopyTo(example.Features.Feature);
        return example;
    }

    /// <inheritdoc />
    RecordClip? IRecordLayout.Clip(ParsedRecord record) =>
        record.Text(SourceId) is { } source && record.Int64(ClipStart) is { } start && record.Int64(ClipEnd) is { } end ? new RecordClip(source, start, end) : null;

    /// <inheritdoc />
    ContextKeys IRecordLayout.Keys => Fields;

    /// <inheritdoc />
    string? IRecordLayout.Caption(ParsedRecord record) => record.Text(Caption);

    /// <inheritdoc />
    IReadOnlyList<long> IRecordLayout.TimestampsUs(ParsedRecord record) => record.Int64s(FrameTimestamp);

    /// <inheritdoc />
    AudioTrack? IRecordLayout.Audio(ParsedRecord record) =>
        record.Int64(AudioSampleRate) is { } rate && record.Int64(AudioChannels) is { } channels
            ? new AudioTrack([.. record.Floats(AudioSamples)], (int)rate, (int)channels, record.Int64(AudioTimestamp) ?? 0)
            : null;

    /// <inheritdoc />
    IReadOnlyList<ByteString> IRecordLayout.Images(ParsedRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var images = new List<ByteString>();
        for (var i = 0; record.Features.Feature.TryGetValue(BlobKey(i), out var blob); i++)
        {
            images.Add(blob.BytesList is { Value.Count: > 0 } bytes ? bytes.Value[0] : ByteString.Empty);
        }

        return images;
    }

    /// <inheritdoc />
    IReadOnlyList<FlowEntry> IRecordLayout.FlowEntries(ParsedRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var entries = new List<FlowEntry>();
        for (var i = 0; record.Bytes(FlowXPrefix + i.ToString(CultureInfo.InvariantCulture)) is { } x; i++)
        {
            var y = record.Bytes(FlowYPrefix + i.ToString(CultureInfo.InvariantCulture))
                ?? throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{FlowXPrefix}{i} has no {FlowYPrefix}{i}"));
            entries.Add(new FlowEntry(x, y));
        }

        return entries;
    }

    /// <inheritdoc />
    float? IRecordLayout.FlowBound(ParsedRecord record) => record.Float(FlowBound);

    /// <inheritdoc />
    string? IRecordLayout.FlowImageFormat(ParsedRecord record) => record.Text(FlowImageFormat);
}
