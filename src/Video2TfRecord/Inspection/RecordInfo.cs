using Video2TfRecord.Records;

namespace Video2TfRecord.Inspection;

/// <summary>What inspect shows about one record.</summary>
/// <param name="Number">0-based record number in its file.</param>
/// <param name="Offset">Byte offset of the record's framing in the uncompressed file.</param>
/// <param name="Bytes">Size of the serialized record (without framing).</param>
/// <param name="Layout">example or sequence.</param>
/// <param name="Id">Video id, when stored.</param>
/// <param name="Path">Video relative path, when stored.</param>
/// <param name="Frames">Number of stored images.</param>
/// <param name="Height">Frame height, when stored.</param>
/// <param name="Width">Frame width, when stored.</param>
/// <param name="Depth">Channels per image, when stored.</param>
/// <param name="Format">JPEG, PNG or RAW, when stored.</param>
/// <param name="Dtype">uint8 or uint16.</param>
/// <param name="FrameIndices">Source frame index of each stored frame.</param>
/// <param name="LabelIndex">Label index, when stored.</param>
/// <param name="LabelText">Label text, when stored.</param>
/// <param name="Keys">Every key with its type and count.</param>
/// <param name="SourceId">For a clip: the id of the video it is cut from.</param>
/// <param name="ClipStartUs">For a clip: its window's start, µs on the video's clock.</param>
/// <param name="ClipEndUs">For a clip: its window's end (exclusive), µs.</param>
/// <param name="Caption">The caption, when stored.</param>
/// <param name="AudioSamples">Audio sample frames (per channel), when stored.</param>
/// <param name="AudioSampleRate">Audio samples per second, when stored.</param>
/// <param name="AudioChannels">Audio channels, when stored.</param>
public sealed record RecordInfo(
    long Number,
    long Offset,
    int Bytes,
    RecordLayout Layout,
    string? Id,
    string? Path,
    int Frames,
    long? Height,
    long? Width,
    long? Depth,
    string? Format,
    string Dtype,
    IReadOnlyList<long> FrameIndices,
    long? LabelIndex,
    string? LabelText,
    IReadOnlyList<FeatureSummary> Keys,
    string? SourceId = null,
    long? ClipStartUs = null,
    long? ClipEndUs = null,
    string? Caption = null,
    int? AudioSamples = null,
    int? AudioSampleRate = null,
    int? AudioChannels = null);
