using Video2TfRecord.Flow;
using Video2TfRecord.Frames;

namespace Video2TfRecord.Records;

/// <summary>The optical flow a record holds, one entry per stored frame (entry i belongs to stored frame i).</summary>
internal sealed record FlowImages
{
    /// <summary>The method's option word: <c>farneback</c>, <c>tvl1</c> or <c>dis</c>.</summary>
    public required string Method { get; init; }

    /// <summary>Which frames each entry's flow is between.</summary>
    public required FlowPairs Pairs { get; init; }

    /// <summary>How flow is stored. With <see cref="FlowFormat.Seed"/> it is the frames' 4th channel and the lists are empty.</summary>
    public required FlowFormat Format { get; init; }

    /// <summary>The clip bound in pixels per frame (<see cref="FlowFormat.Xy"/>).</summary>
    public required double Bound { get; init; }

    /// <summary>How the flow images are encoded.</summary>
    public required ImageEncoding Encoding { get; init; }

    /// <summary>Quantized dx images, one channel (example layout).</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> X { get; init; } = [];

    /// <summary>Quantized dy images, one channel (example layout).</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Y { get; init; } = [];

    /// <summary>Three-channel images R = dx, G = dy, B = 0 (sequence layout).</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Xy { get; init; } = [];
}
