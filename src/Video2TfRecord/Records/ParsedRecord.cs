using Google.Protobuf;
using Video2TfRecord.Protos;

namespace Video2TfRecord.Records;

/// <summary>
/// A record read back: either layout, with typed access to its features and its images. Used by inspect and verify,
/// and by anyone who reads this tool's records from C#.
/// </summary>
public sealed class ParsedRecord
{
    private readonly IRecordLayout _layout;

    private ParsedRecord(RecordLayout layout, Features features, FeatureLists? lists)
    {
        _layout = RecordLayouts.For(layout);
        Layout = layout;
        Features = features;
        Lists = lists;
    }

    /// <summary>
    /// Which layout the record has: <see cref="RecordLayout.Sequence"/> when it carries feature lists,
    /// <see cref="RecordLayout.Tfds"/> when its frames are one <c>video</c> bytes list.
    /// </summary>
    public RecordLayout Layout { get; }

    /// <summary>The Example's features, or the SequenceExample's context.</summary>
    internal Features Features { get; }

    /// <summary>The SequenceExample's feature lists; <see langword="null"/> for an Example.</summary>
    internal FeatureLists? Lists { get; }

    /// <summary>
    /// Parses serialized bytes. A tf.train.Example and a SequenceExample share field 1 (features / context), so one
    /// parse serves both; feature lists make it a sequence.
    /// </summary>
    /// <exception cref="InvalidProtocolBufferException">The bytes are not a protobuf message.</exception>
    public static ParsedRecord Parse(ReadOnlySpan<byte> bytes)
    {
        var sequence = SequenceExample.Parser.ParseFrom(bytes);
        var context = sequence.Context ?? new Features();
        if (sequence.FeatureLists is { FeatureList.Count: > 0 } lists)
        {
            return new ParsedRecord(RecordLayout.Sequence, context, lists);
        }

        var tfds = context.Feature.TryGetValue(TfdsLayout.Video, out var video) && video.BytesList is not null
            && !context.Feature.ContainsKey(ExampleLayout.BlobKey(0));
        return new ParsedRecord(tfds ? RecordLayout.Tfds : RecordLayout.Example, context, null);
    }

    /// <summary>The first int64 of a feature, or <see langword="null"/> when absent or of another type.</summary>
    public long? Int64(string key) =>
        Features.Feature.TryGetValue(key, out var f) && f.Int64List is { Value.Count: > 0 } list ? list.Value[0] : null;

    /// <summary>All int64 values of a feature (empty when absent).</summary>
    public IReadOnlyList<long> Int64s(string key) =>
        Features.Feature.TryGetValue(key, out var f) && f.Int64List is { } list ? list.Value : [];

    /// <summary>The first float of a feature, or <see langword="null"/>.</summary>
    public float? Float(string key) =>
        Features.Feature.TryGetValue(key, out var f) && f.FloatList is { Value.Count: > 0 } list ? list.Value[0] : null;

    /// <summary>All float values of a feature (empty when absent).</summary>
    public IReadOnlyList<float> Floats(string key) =>
        Features.Feature.TryGetValue(key, out var f) && f.FloatList is { } list ? list.Value : [];

    /// <summary>Every float of every step of a feature list, in order (empty when absent).</summary>
    public IReadOnlyList<float> ListFloats(string key) =>
        Lists is not null && Lists.FeatureList.TryGetValue(key, out var list)
            ? list.Feature.SelectMany(f => f.FloatList is { } values ? values.Value : (IEnumerable<float>)[]).ToList()
            : [];

    /// <summary>The first int64 of every step of a feature list (empty when absent).</summary>
    public IReadOnlyList<long> ListInt64s(string key) =>
        Lists is not null && Lists.FeatureList.TryGetValue(key, out var list)
            ? list.Feature.Select(f => f.Int64List is { Value.Count: > 0 } values ? values.Value[0] : 0).ToList()
            : [];

    /// <summary>The first bytes value of a feature as UTF-8 text, or <see langword="null"/>.</summary>
    public string? Text(string key) =>
        Features.Feature.TryGetValue(key, out var f) && f.BytesList is { Value.Count: > 0 } list ? list.Value[0].ToStringUtf8() : null;

    /// <summary>The first bytes value of a feature, or <see langword="null"/>.</summary>
    public ByteString? Bytes(string key) =>
        Features.Feature.TryGetValue(key, out var f) && f.BytesList is { Value.Count: > 0 } list ? list.Value[0] : null;

    /// <summary>The first bytes value of every step of a feature list (empty when absent).</summary>
    public IReadOnlyList<ByteString> ListBytes(string key) =>
        Lists is not null && Lists.FeatureList.TryGetValue(key, out var list)
            ? list.Feature.Select(f => f.BytesList is { Value.Count: > 0 } b ? b.Value[0] : ByteString.Empty).ToList()
            : [];

    /// <summary>
    /// The stored xy flow, one entry per frame: (<c>flow/x/i</c>, <c>flow/y/i</c>) in the example layout, or
    /// (<c>FORWARD_FLOW/image/encoded</c> step i, null) in the sequence layout. Empty without flow.
    /// </summary>
    /// <exception cref="InvalidDataException">A <c>flow/x/i</c> has no <c>flow/y/i</c>.</exception>
    public IReadOnlyList<FlowEntry> FlowEntries() => _layout.FlowEntries(this);

    /// <summary>How the record's layout stores flow images (one-channel x and y planes, or one xy color image).</summary>
    public FlowPacking FlowPacking => _layout.FlowPacking;

    /// <summary>The xy flow's clip bound in pixels per frame (<c>flow/bound</c>, <c>FORWARD_FLOW/image/saturation</c>), or null.</summary>
    public float? FlowBound => _layout.FlowBound(this);

    /// <summary>The xy flow images' format (<c>flow/image_format</c>, <c>FORWARD_FLOW/image/format</c>), or null.</summary>
    public string? FlowImageFormat => _layout.FlowImageFormat(this);

    /// <summary>Frame height: <c>height</c> (example), <c>image/height</c> (sequence), or the first frame's header (TFDS).</summary>
    public long? Height => _layout.Height(this);

    /// <summary>Frame width: <c>width</c>, <c>image/width</c>, or the first frame's header.</summary>
    public long? Width => _layout.Width(this);

    /// <summary>Channels per image: <c>depth</c>, <c>image/channels</c>, or the first frame's header.</summary>
    public long? Channels => _layout.Channels(this);

    /// <summary>The video id: <c>video/id</c>, <c>example/id</c> or <c>video_id</c>.</summary>
    public string? Id => _layout.Id(this);

    /// <summary>The relative path: <c>video/path</c>, <c>clip/data_path</c> or <c>video_path</c>.</summary>
    public string? VideoPath => _layout.VideoPath(this);

    /// <summary>The label index, when the record has one (a TFDS record's -1, "no label", is none).</summary>
    public long? LabelIndex => _layout.LabelIndex(this) is { } index && index >= 0 ? index : null;

    /// <summary>The label text, when the record has one.</summary>
    public string? LabelText => _layout.LabelText(this);

    /// <summary>The stored image format (JPEG, PNG, RAW), when declared.</summary>
    public string? Format => _layout.Format(this);

    /// <summary>The stored sample type, uint8 unless declared otherwise (or a TFDS record's first frame is 16-bit).</summary>
    public string Dtype => _layout.Dtype(this);

    /// <summary>Source frame index of each stored frame (<c>frames/index</c>, or <c>frame_indices</c> in a TFDS record).</summary>
    public IReadOnlyList<long> FrameIndices => _layout.FrameIndices(this);

    /// <summary>For a clip: the source video's id and the window (<c>clip/start/timestamp</c>, <c>clip/end/timestamp</c>, µs); null for a whole video.</summary>
    public RecordClip? Clip => _layout.Clip(this);

    /// <summary>The presentation time of each stored frame, µs on the video's clock (<c>frames/timestamp_us</c>, <c>image/timestamp</c>).</summary>
    public IReadOnlyList<long> TimestampsUs => _layout.TimestampsUs(this);

    /// <summary>The caption (<c>caption/text</c>, <c>caption/string</c>), or null.</summary>
    public string? Caption => _layout.Caption(this);

    /// <summary>The audio (<c>audio/*</c>, <c>WAVEFORM/feature/*</c>), or null.</summary>
    public Audio.AudioTrack? Audio => _layout.Audio(this);

    /// <summary>The stored images in order: <c>blob/0…</c>, the <c>image/encoded</c> feature list, or the <c>video</c> bytes list.</summary>
    public IReadOnlyList<ByteString> Images() => _layout.Images(this);

    /// <summary>Every key with its value type and value count, context features first, in ordinal order.</summary>
    public IReadOnlyList<FeatureSummary> Keys()
    {
        var keys = new List<FeatureSummary>();
        foreach (var (key, feature) in Features.Feature.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            keys.Add(new FeatureSummary(key, TypeOf(feature), CountOf(feature), IsFeatureList: false));
        }

        if (Lists is not null)
        {
            foreach (var (key, list) in Lists.FeatureList.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var type = list.Feature.Count > 0 ? TypeOf(list.Feature[0]) : "empty";
                keys.Add(new FeatureSummary(key, type, list.Feature.Count, IsFeatureList: true));
            }
        }

        return keys;
    }

    private static string TypeOf(Feature feature) => feature.KindCase switch
    {
        Feature.KindOneofCase.BytesList => "bytes",
        Feature.KindOneofCase.FloatList => "float",
        Feature.KindOneofCase.Int64List => "int64",
        _ => "empty",
    };

    private static int CountOf(Feature feature) => feature.KindCase switch
    {
        Feature.KindOneofCase.BytesList => feature.BytesList.Value.Count,
        Feature.KindOneofCase.FloatList => feature.FloatList.Value.Count,
        Feature.KindOneofCase.Int64List => feature.Int64List.Value.Count,
        _ => 0,
    };
}
