using System.Buffers;
using Google.Protobuf;
using OpenCvSharp;
using Video2TfRecord.Conversion.Annotations;
using Video2TfRecord.Conversion.Inputs;
using Video2TfRecord.Conversion.Pipeline;
using Video2TfRecord.Conversion.Remote;
using Video2TfRecord.Records;
using Video2TfRecord.Video;

namespace Video2TfRecord.Conversion.Run;

/// <summary>
/// One entry of the catalog to one outcome: its local file (downloaded when remote), the pipeline, what a failure
/// becomes (a reason, not an exception), its label and caption, the layout's message, the record size limit, and the
/// serialized bytes the writer appends.
/// </summary>
/// <param name="layout">Builds the message.</param>
/// <param name="labels">The run's labels and captions.</param>
/// <param name="maxRecordBytes">The record size above which the entry is skipped.</param>
/// <param name="storage">Gives local copies of <c>s3://</c> videos; null when every video is local.</param>
internal sealed class EntryConverter(IRecordLayout layout, RunLabels labels, long maxRecordBytes, RunStorage? storage)
{
    // Records above this are serialized into an array of their own size rather than a pooled one.
    private const int LargeRecordBytes = 64 << 20;

    /// <summary>Converts <paramref name="entry"/> with <paramref name="pipeline"/>; any failure of this one video is in the outcome.</summary>
    /// <param name="pipeline">The worker's pipeline.</param>
    /// <param name="entry">The video or clip.</param>
    /// <param name="reached">Told (frame index, frames) as the decode goes.</param>
    /// <param name="cancellationToken">Stops the video at its next frame.</param>
    public async Task<VideoOutcome> ConvertAsync(VideoPipeline pipeline, CatalogEntry entry, Action<int, int> reached, CancellationToken cancellationToken)
    {
        ProcessedVideo video;
        try
        {
            using var local = storage is null ? null : await storage.AcquireAsync(entry, cancellationToken).ConfigureAwait(false);
            video = pipeline.Process(entry, cancellationToken, reached, local?.Path ?? entry.FullPath);
        }
        catch (VideoReadException e)
        {
            return VideoOutcome.NotWritten(entry, VideoStatus.Failed, e.Frame is { } f ? $"frame {f}: {e.Cause}" : e.Cause);
        }
        catch (VideoSkippedException e)
        {
            return VideoOutcome.NotWritten(entry, VideoStatus.Skipped, e.Message);
        }
        catch (OpenCVException e)
        {
            return VideoOutcome.NotWritten(entry, VideoStatus.Failed, $"OpenCV could not process it ({e.Message})");
        }

        if (labels.For(entry) is { } label)
        {
            video = video with { Record = video.Record with { LabelIndex = label.Index, LabelText = label.Text } };
        }

        if (labels.CaptionOf(entry) is { } caption)
        {
            video = video with { Record = video.Record with { Caption = caption } };
        }

        var message = layout.Build(video.Record, labeled: labels.Table is not null);
        if (RecordSize.Refusal(video.Record, maxRecordBytes, message.CalculateSize, out var size) is { } refusal)
        {
            return VideoOutcome.NotWritten(entry, VideoStatus.Skipped, refusal, video);
        }

        var (buffer, pooled) = Serialize(message, size);
        // The images now live in the serialized buffer; drop the encoded copies before the outcome waits for the writer.
        var slim = video with { Record = video.Record with { Images = [] } };
        return new VideoOutcome { Entry = entry, Status = VideoStatus.Ok, Buffer = buffer, Pooled = pooled, Length = size, Video = slim };
    }

    // Pooled arrays come in powers of two: a 805 MB record would hold a 1 GiB one. Large records get their exact size.
    private static (byte[] Buffer, bool Pooled) Serialize(IMessage message, int size)
    {
        var pooled = size <= LargeRecordBytes;
        var buffer = pooled ? ArrayPool<byte>.Shared.Rent(size) : GC.AllocateUninitializedArray<byte>(size);
        message.WriteTo(buffer.AsSpan(0, size));
        return (buffer, pooled);
    }
}
