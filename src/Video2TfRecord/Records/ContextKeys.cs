namespace Video2TfRecord.Records;

/// <summary>The context keys of a layout's single-valued fields (<see cref="IRecordLayout.Keys"/>).</summary>
/// <param name="Height">Frame height.</param>
/// <param name="Width">Frame width.</param>
/// <param name="Channels">Channels per image.</param>
/// <param name="Id">The video id.</param>
/// <param name="VideoPath">The relative path.</param>
/// <param name="LabelIndex">The label index.</param>
/// <param name="LabelText">The label text.</param>
/// <param name="Format">The image format.</param>
/// <param name="Dtype">The sample type.</param>
/// <param name="FrameIndices">The source frame indices (an int64 list).</param>
internal sealed record ContextKeys(
    string Height, string Width, string Channels, string Id, string VideoPath, string LabelIndex, string LabelText, string Format, string Dtype, string FrameIndices);
