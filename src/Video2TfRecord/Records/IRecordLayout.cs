using Google.Protobuf;
using Video2TfRecord.Flow;
using Video2TfRecord.Frames;

namespace Video2TfRecord.Records;

/// <summary>
/// One record layout, in one place: what it refuses, the record it builds for a video, how it reads such a record back,
/// how flow is packed into it, and how its files are named. <see cref="RecordLayouts.For"/> picks the layout; adding a
/// layout or a key touches that layout's file only.
/// </summary>
internal interface IRecordLayout
{
    /// <summary>Which layout this is.</summary>
    RecordLayout Kind { get; }

    /// <summary>How each entry's flow is stored (<see cref="FlowPacking.Planes"/> or <see cref="FlowPacking.Color"/>).</summary>
    FlowPacking FlowPacking { get; }

    /// <summary>Refuses options this layout cannot hold, naming the option and the reason.</summary>
    /// <param name="images">How frames are stored, resolved (a concrete encoding).</param>
    /// <param name="flow">The flow, resolved (a concrete encoding), or <see cref="FlowOptions.None"/>.</param>
    /// <param name="output">How the run names and writes its files.</param>
    /// <exception cref="OptionException">The combination cannot be stored in this layout.</exception>
    void Validate(ImageOptions images, FlowOptions flow, LayoutOutput output);

    /// <summary>Builds the record for one video; image bytes are shared with <paramref name="record"/>, not copied.</summary>
    /// <param name="record">The video.</param>
    /// <param name="labeled">Whether the run has labels (a layout may then store "no label" for a video without one).</param>
    IMessage Build(VideoRecord record, bool labeled);

    /// <summary>
    /// The final name of shard <paramref name="shard"/> of <paramref name="shardCount"/> of <paramref name="split"/>:
    /// <c>{prefix}-{split}-00002-of-00005.tfrecord</c>, or without a split <c>{prefix}-00002-of-00005.tfrecord</c> (the
    /// TFDS layout always names one: <see cref="TfdsLayout.DefaultSplit"/> when none is given).
    /// </summary>
    /// <param name="prefix">The run's <c>--prefix</c>.</param>
    /// <param name="split">The split, or null.</param>
    /// <param name="shard">The shard's number, from 0.</param>
    /// <param name="shardCount">The number of shards of the split.</param>
    /// <param name="extension">What the shard format's names end with (<c>.tfrecord.gz</c>).</param>
    string FileName(string prefix, string? split, int shard, int shardCount, string extension);

    /// <summary>
    /// Where the single-valued fields are when they are plain context features (the example and sequence layouts): the
    /// accessors below read them from there. Null for a layout that stores them otherwise (TFDS), which implements the
    /// accessors itself.
    /// </summary>
    ContextKeys? Keys => null;

    /// <summary>Frame height in pixels, as the record declares it.</summary>
    long? Height(ParsedRecord record) => record.Int64(KeysOrThrow.Height);

    /// <summary>Frame width in pixels.</summary>
    long? Width(ParsedRecord record) => record.Int64(KeysOrThrow.Width);

    /// <summary>Channels per stored image.</summary>
    long? Channels(ParsedRecord record) => record.Int64(KeysOrThrow.Channels);

    /// <summary>The video id (relative path without extension).</summary>
    string? Id(ParsedRecord record) => record.Text(KeysOrThrow.Id);

    /// <summary>The relative path.</summary>
    string? VideoPath(ParsedRecord record) => record.Text(KeysOrThrow.VideoPath);

    /// <summary>The label index, when the record has one.</summary>
    long? LabelIndex(ParsedRecord record) => record.Int64(KeysOrThrow.LabelIndex);

    /// <summary>The label text, when the record has one.</summary>
    string? LabelText(ParsedRecord record) => record.Text(KeysOrThrow.LabelText);

    /// <summary>The stored image format (JPEG, PNG, RAW), when declared.</summary>
    string? Format(ParsedRecord record) => record.Text(KeysOrThrow.Format);

    /// <summary>The stored sample type, <c>uint8</c> unless declared otherwise.</summary>
    string Dtype(ParsedRecord record) => record.Text(KeysOrThrow.Dtype) ?? "uint8";

    /// <summary>Source frame index of each stored frame.</summary>
    IReadOnlyList<long> FrameIndices(ParsedRecord record) => record.Int64s(KeysOrThrow.FrameIndices);

    /// <summary>The stored images in order.</summary>
    IReadOnlyList<ByteString> Images(ParsedRecord record);

    /// <summary>The xy flow's clip bound b in pixels per frame, or null without xy flow.</summary>
    float? FlowBound(ParsedRecord record);

    /// <summary>The xy flow images' format (JPEG, PNG, RAW), or null without xy flow.</summary>
    string? FlowImageFormat(ParsedRecord record);

    /// <summary>The stored xy flow, one entry per frame: (x, y) images, or (xy image, null). Empty without flow.</summary>
    /// <exception cref="InvalidDataException">The record's flow is incomplete.</exception>
    IReadOnlyList<FlowEntry> FlowEntries(ParsedRecord record);

    /// <summary>For a clip: the id of the video it is cut from and its window (µs, end exclusive); null for a whole video.</summary>
    RecordClip? Clip(ParsedRecord record) => null;

    /// <summary>The caption, or null.</summary>
    string? Caption(ParsedRecord record) => null;

    /// <summary>The presentation time of each stored frame, µs on the video's clock (empty when not stored).</summary>
    IReadOnlyList<long> TimestampsUs(ParsedRecord record) => [];

    /// <summary>The audio, or null.</summary>
    Audio.AudioTrack? Audio(ParsedRecord record) => null;

    private ContextKeys KeysOrThrow => Keys ?? throw new NotSupportedException($"the {Kind} layout reads its fields itself");
}
