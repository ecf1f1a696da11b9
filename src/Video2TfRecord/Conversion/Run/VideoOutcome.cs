using System.Buffers;
using Video2TfRecord.Conversion.Inputs;
using Video2TfRecord.Conversion.Pipeline;

namespace Video2TfRecord.Conversion.Run;

/// <summary>
/// What a worker hands the ordered writer for one video: the serialized record in a pooled buffer (or why there is
/// none) and the facts videos.jsonl keeps. The writer returns the buffer after writing it.
/// </summary>
internal sealed class VideoOutcome
{
    public required CatalogEntry Entry { get; init; }

    public required VideoStatus Status { get; init; }

    public string? Reason { get; init; }

    public byte[]? Buffer { get; init; }

    public bool Pooled { get; init; } = true;

    public int Length { get; init; }

    public ProcessedVideo? Video { get; init; }

    public int Frames => Video?.Record.FrameIndices.Count ?? 0;

    public IReadOnlyList<string> Warnings => Video?.Warnings ?? [];

    public static VideoOutcome NotWritten(CatalogEntry entry, VideoStatus status, string reason, ProcessedVideo? video = null) =>
        new() { Entry = entry, Status = status, Reason = reason, Video = video };

    public void ReturnBuffer()
    {
        if (Buffer is not null && Pooled)
        {
            ArrayPool<byte>.Shared.Return(Buffer);
        }
    }
}
