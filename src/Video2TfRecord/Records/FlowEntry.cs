using Google.Protobuf;

namespace Video2TfRecord.Records;

/// <summary>The encoded flow a record stores for one frame.</summary>
/// <param name="First">The example layout's <c>flow/x/i</c> (dx), or the sequence layout's three-channel image (R = dx, G = dy).</param>
/// <param name="Second">The example layout's <c>flow/y/i</c> (dy); null in the sequence layout.</param>
public sealed record FlowEntry(ByteString First, ByteString? Second);
