using Google.Protobuf;
using Video2TfRecord.Audio;
using Video2TfRecord.Flow;
using Video2TfRecord.Frames;
using Video2TfRecord.Protos;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Records;

/// <summary>
/// The <see cref="RecordLayout.Sequence"/> layout: one tf.train.SequenceExample per video in MediaPipe MediaSequence
/// keys, read as they are by MediaPipe, DMVR and tf.data.
/// </summary>
internal sealed class SequenceLayout : IRecordLayout
{
    // The single-valued fields IRecordLayout's accessors read.
    private static readonly ContextKeys Fields = new(ImageHeight, ImageWidth, ImageChannels, ExampleId, DataPath, LabelIndex, LabelString, ImageFormat, ImageDtype, FrameIndex);

    /// <summary>Context bytes: relative path without extension; for a clip, the clip's id.</summary>
    public const string ExampleId = "example/id";
    /// <summary>Context bytes: the video's id (relative path without extension), also for a clip of it.</summary>
    public const string MediaId = "clip/media_id";
    /// <summary>Context bytes: relative path.</summary>
    public const string DataPath = "clip/data_path";
    /// <summary>Context int64: a clip's window start, µs on the video's clock; for a whole video the first stored frame's time.</summary>
    public const string StartTimestamp = "clip/start/timestamp";
    /// <summary>Context int64: a clip's window end (exclusive), µs; for a whole video the last stored frame's time.</summary>
    public const string EndTimestamp = "clip/end/timestamp";
    /// <summary>Context bytes: the caption, UTF-8 (the name DMVR reads).</summary>
    public const string Caption = "caption/string";
    /// <summary>Feature list, float: one entry holding every audio sample in [−1, 1], interleaved when there is more than one channel.</summary>
    public const string AudioFloats = "WAVEFORM/feature/floats";
    /// <summary>Feature list, int64: one entry, the time of the first audio sample, µs on the video's clock.</summary>
    public const string AudioTimestamp = "WAVEFORM/feature/timestamp";
    /// <summary>Context float: audio sample frames per second.</summary>
    public const string AudioSampleRate = "WAVEFORM/feature/sample_rate";
    /// <summary>Context int64: audio channels.</summary>
    public const string AudioChannels = "WAVEFORM/feature/num_channels";
    /// <summary>Context int64: sample frames in the entry (MediaSequence's <c>feature/num_samples</c>).</summary>
    public const string AudioSampleCount = "WAVEFORM/feature/num_samples";
    /// <summary>Context float: audio sample rate (MediaSequence's <c>feature/audio_sample_rate</c>).</summary>
    public const string AudioRate = "WAVEFORM/feature/audio_sample_rate";
    /// <summary>Context float: feature entries per second (MediaSequence's <c>feature/packet_rate</c>): one entry for the whole span.</summary>
    public const string AudioPacketRate = "WAVEFORM/feature/packet_rate";
    /// <summary>Context int64: label index.</summary>
    public const string LabelIndex = "clip/label/index";
    /// <summary>Context bytes: label text (MediaSequence's name).</summary>
    public const string LabelString = "clip/label/string";
    /// <summary>Context bytes: label text (the name DMVR reads).</summary>
    public const string LabelText = "clip/label/text";
    /// <summary>Context bytes: JPEG or PNG.</summary>
    public const string ImageFormat = "image/format";
    /// <summary>Context bytes: uint8 or uint16.</summary>
    public const string ImageDtype = "image/dtype";
    /// <summary>Context int64: channels per image.</summary>
    public const string ImageChannels = "image/channels";
    /// <summary>Context int64: image height.</summary>
    public const string ImageHeight = "image/height";
    /// <summary>Context int64: image width.</summary>
    public const string ImageWidth = "image/width";
    /// <summary>Context bytes: RGB or GRAY.</summary>
    public const string ImageColorspace = "image/colorspace";
    /// <summary>Context float: frame rate of the source.</summary>
    public const string ImageFrameRate = "image/frame_rate";
    /// <summary>Context int64 list: source frame index of each stored frame.</summary>
    public const string FrameIndex = "frames/index";
    /// <summary>Context int64: true frame count of the source video.</summary>
    public const string VideoFrameCount = "video/frame_count";
    /// <summary>Feature list, bytes: one encoded image per step.</summary>
    public const string ImageEncoded = "image/encoded";
    /// <summary>Feature list, int64: one timestamp (µs) per step.</summary>
    public const string ImageTimestamp = "image/timestamp";

    /// <summary>Feature list, bytes: one flow image per step, R = dx, G = dy, B = 0 (MediaSequence's forward flow prefix).</summary>
    public const string FlowEncoded = "FORWARD_FLOW/image/encoded";
    /// <summary>Feature list, int64: the timestamp (µs) of the stored frame each flow entry belongs to.</summary>
    public const string FlowTimestamp = "FORWARD_FLOW/image/timestamp";
    /// <summary>Context bytes: JPEG or PNG, the flow images' encoding.</summary>
    public const string FlowImageFormat = "FORWARD_FLOW/image/format";
    /// <summary>Context int64: channels of a flow image (3).</summary>
    public const string FlowChannels = "FORWARD_FLOW/image/channels";
    /// <summary>Context int64: flow image height.</summary>
    public const string FlowHeight = "FORWARD_FLOW/image/height";
    /// <summary>Context int64: flow image width.</summary>
    public const string FlowWidth = "FORWARD_FLOW/image/width";
    /// <summary>Context float: frame rate of the source.</summary>
    public const string FlowFrameRate = "FORWARD_FLOW/image/frame_rate";
    /// <summary>Context float: the clip bound b (MediaSequence's saturation); a sample q means q·2b/max − b pixels.</summary>
    public const string FlowSaturation = "FORWARD_FLOW/image/saturation";

    private SequenceLayout()
    {
    }

    /// <summary>The layout.</summary>
    public static SequenceLayout Instance { get; } = new();

    /// <inheritdoc />
    public RecordLayout Kind => RecordLayout.Sequence;

    /// <inheritdoc />
    public FlowPacking FlowPacking => FlowPacking.Color;

    /// <inheritdoc />
    public void Validate(ImageOptions images, FlowOptions flow, LayoutOutput output)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(flow);
        if (images.Encoding == ImageEncoding.Raw)
        {
            throw new OptionException("encoding", "--encoding raw cannot be used with --layout sequence (MediaSequence readers decode JPEG and PNG only)");
        }

        if (flow.IsSeedChannel)
        {
            throw new OptionException("flow-format", "--flow-format seed (flow as a 4th channel) exists in the example layout only: use --flow-format xy with --layout sequence");
        }

        if (flow.Enabled && flow.Encoding == ImageEncoding.Raw)
        {
            throw new OptionException("flow-encoding", "--flow-encoding raw cannot be used with --layout sequence (MediaSequence readers decode JPEG and PNG only)");
        }
    }

    /// <inheritdoc />
    public string FileName(string prefix, string? split, int shard, int shardCount, string extension) =>
        new ShardName(split is null ? prefix : $"{prefix}-{split}", extension).Format(shard, shardCount);

    /// <inheritdoc />
    public IMessage Build(VideoRecord record, bool labeled)
    {
        ArgumentNullException.ThrowIfNull(record);
        var context = new SortedFeatures<Feature>();
        context.Add(ExampleId, FeatureValues.Text(record.Id));
        context.Add(MediaId, FeatureValues.Text(record.SourceId ?? record.Id));
        context.Add(DataPath, FeatureValues.Text(record.Path));
        var (start, end) = record.Clip ?? (record.TimestampsUs.Count > 0 ? (record.TimestampsUs[0], record.TimestampsUs[^1]) : (0, 0));
        context.Add(StartTimestamp, FeatureValues.Int64(start));
        context.Add(EndTimestamp, FeatureValues.Int64(end));
        if (record.Caption is { } caption)
        {
            context.Add(Caption, FeatureValues.Text(caption));
        }
        context.Add(ImageFormat, FeatureValues.Text(RecordValues.FormatName(record.Encoding)));
        context.Add(ImageDtype, FeatureValues.Text(RecordValues.DtypeName(record.PixelType)));
        context.Add(ImageChannels, FeatureValues.Int64(record.Channels));
        context.Add(ImageHeight, FeatureValues.Int64(record.Height));
        context.Add(ImageWidth, FeatureValues.Int64(record.Width));
        context.Add(ImageColorspace, FeatureValues.Text(RecordValues.ColorspaceName(record.Color)));
        context.Add(ImageFrameRate, FeatureValues.Float((float)record.Fps));
        context.Add(FrameIndex, FeatureValues.Int64s(record.FrameIndices.Select(i => (long)i)));
        context.Add(VideoFrameCount, FeatureValues.Int64(record.FrameCount));
        if (record.LabelIndex is { } labelIndex)
        {
            context.Add(LabelIndex, FeatureValues.Int64(labelIndex));
        }

        if (record.LabelText is { } labelText)
        {
            context.Add(LabelString, FeatureValues.Text(labelText));
            context.Add(LabelText, FeatureValues.Text(labelText));
        }

        var lists = new SortedFeatures<FeatureList>();
        if (record.Audio is { } audio)
        {
            context.Add(AudioSampleRate, FeatureValues.Float(audio.SampleRate));
            context.Add(AudioRate, FeatureValues.Float(audio.SampleRate));
            context.Add(AudioChannels, FeatureValues.Int64(audio.Channels));
            context.Add(AudioSampleCount, FeatureValues.Int64(audio.Frames));
            context.Add(AudioPacketRate, FeatureValues.Float(audio.DurationUs > 0 ? (float)(1e6 / audio.DurationUs) : 0f));
            lists.Add(AudioFloats, new FeatureList { Feature = { FeatureValues.Floats(audio.Samples) } });
            lists.Add(AudioTimestamp, new FeatureList { Feature = { FeatureValues.Int64(audio.StartUs) } });
        }

        if (record.Flow is { } flow)
        {
            FlowValues.AddCommon(context, flow);
            context.Add(FlowImageFormat, FeatureValues.Text(RecordValues.FormatName(flow.Encoding)));
            context.Add(FlowChannels, FeatureValues.Int64(3));
            context.Add(FlowHeight, FeatureValues.Int64(record.Height));
            context.Add(FlowWidth, FeatureValues.Int64(record.Width));
            context.Add(FlowFrameRate, FeatureValues.Float((float)record.Fps));
            context.Add(FlowSaturation, FeatureValues.Float((float)flow.Bound));
            var flowImages = new FeatureList();
            var flowTimes = new FeatureList();
            for (var i = 0; i < flow.Xy.Count; i++)
            {
                flowImages.Feature.Add(FeatureValues.Bytes(flow.Xy[i]));
                flowTimes.Feature.Add(FeatureValues.Int64(record.TimestampsUs[i]));
            }

            lists.Add(FlowEncoded, flowImages);
            lists.Add(FlowTimestamp, flowTimes);
        }

        var images = new FeatureList();
        var timestamps = new FeatureList();
        for (var i = 0; i < record.Images.Count; i++)
        {
            images.Feature.Add(FeatureValues.Bytes(record.Images[i]));
            timestamps.Feature.Add(FeatureValues.Int64(record.TimestampsUs[i]));
        }

        lists.Add(ImageEncoded, images);
        lists.Add(ImageTimestamp, timestamps);

        var sequence = new SequenceExample { Context = new Features(), FeatureLists = new FeatureLists() };
        context.CopyTo(sequence.Context.Feature);
        lists.CopyTo(sequence.FeatureLists.FeatureList);
        return sequence;
    }

    /// <inheritdoc />
    RecordClip? IRecordLayout.Clip(ParsedRecord record) =>
        record.Text(MediaId) is { } source && record.Text(ExampleId) != source && record.Int64(StartTimestamp) is { } start && record.Int64(EndTimestamp) is { } end
            ? new RecordClip(source, start, end)
            : null;

    /// <inheritdoc />
    ContextKeys IRecordLayout.Keys => Fields;

    /// <inheritdoc />
    string? IRecordLayout.Caption(ParsedRecord record) => record.Text(Caption);

    /// <inheritdoc />
    IReadOnlyList<long> IRecordLayout.TimestampsUs(ParsedRecord record) => record.ListInt64s(ImageTimestamp);

    /// <inheritdoc />
    AudioTrack? IRecordLayout.Audio(ParsedRecord record) =>
        record.Float(AudioSampleRate) is { } rate && record.Int64(AudioChannels) is { } channels
            ? new AudioTrack([.. record.ListFloats(AudioFloats)], (int)rate, (int)channels, record.ListInt64s(AudioTimestamp) is [var start, ..] ? start : 0)
            : null;

    /// <inheritdoc />
    IReadOnlyList<ByteString> IRecordLayout.Images(ParsedRecord record) => record.ListBytes(ImageEncoded);

    /// <inheritdoc />
    IReadOnlyList<FlowEntry> IRecordLayout.FlowEntries(ParsedRecord record) =>
        record.ListBytes(FlowEncoded).Select(image => new FlowEntry(image, null)).ToList();

    /// <inheritdoc />
    float? IRecordLayout.FlowBound(ParsedRecord record) => record.Float(FlowSaturation);

    /// <inheritdoc />
    string? IRecordLayout.FlowImageFormat(ParsedRecord record) => record.Text(FlowImageFormat);
}
