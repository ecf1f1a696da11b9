using System.Globalization;
using Video2TfRecord.Flow;
using Video2TfRecord.Frames;
using Video2TfRecord.Records;
using Video2TfRecord.Sampling;
using Video2TfRecord.Video;

namespace Video2TfRecord.Conversion;

/// <summary>
/// Turns one video into its <see cref="VideoRecord"/>: probe the frame count, choose the indices, decode only those
/// frames, transform and encode them. Holds reusable frame buffers: one per worker, not thread-safe.
/// </summary>
public sealed class VideoPipeline : IDisposable
{
    private readonly SamplingOptions _sampling;
    private readonly ImageOptions _images;
    private readonly FrameTransformer _transformer;
    private readonly ImageEncoder _encoder;
    private readonly FrameCollector _collector;

    /// <summary>Creates a pipeline for validated, resolved options (see <see cref="ConversionOptions.Resolve"/>).</summary>
    /// <param name="sampling">Which frames are kept.</param>
    /// <param name="images">How they are stored; a concrete encoding.</param>
    /// <param name="flow">Optical flow, or <see cref="FlowOptions.None"/>; a concrete encoding.</param>
    /// <param name="layout">The record layout, which decides how flow images are packed.</param>
    public VideoPipeline(SamplingOptions sampling, ImageOptions images, FlowOptions flow, RecordLayout layout)
    {
        ArgumentNullException.ThrowIfNull(sampling);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(flow);
        _sampling = sampling;
        _images = images;
        _transformer = new FrameTransformer(images.Resize, images.Color, images.PixelType);
        _encoder = new ImageEncoder(images.Encoding, images.JpegQuality);
        _collector = new FrameCollector(flow, layout, images, _transformer, _encoder);
    }

    /// <summary>Converts one video.</summary>
    /// <param name="entry">The video.</param>
    /// <param name="cancellationToken">Checked between frames.</param>
    /// <exception cref="VideoReadException">The video cannot be read, or is short and <c>--short-video error</c>.</exception>
    /// <exception cref="VideoSkippedException">The video is short and <c>--short-video skip</c>.</exception>
    public ProcessedVideo Process(CatalogEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var warnings = new List<string>();
        var info = VideoDecoder.Probe(entry.FullPath, cancellationToken);
        var frames = DecodeSelected(entry.FullPath, info.FrameCount, info.TimestampsUs, cancellationToken);
        if (frames.Summary.FrameCount == 0)
        {
            throw new VideoReadException(entry.FullPath, "no frame decodes (the video data is damaged or in a codec the decoder lacks)");
        }

        if (frames.Summary.FrameCount != info.FrameCount)
        {
            // The packet count is only a forecast; the decoded count is the truth. Choose again from it.
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"{entry.FullPath}: the stream has {info.FrameCount} packets but decodes to {frames.Summary.FrameCount} frames (truncated or damaged); sampling from the {frames.Summary.FrameCount} frames that decode"));
            frames = DecodeSelected(entry.FullPath, frames.Summary.FrameCount, frames.Summary.TimestampsUs, cancellationToken);
        }
        else if (_sampling.Mode == SamplingMode.Fps && !frames.Summary.TimestampsUs.SequenceEqual(info.TimestampsUs))
        {
            // Packet times were a forecast (MPEG-PS reports 0 for its last frame); choose again from the decoded ones.
            frames = DecodeSelected(entry.FullPath, frames.Summary.FrameCount, frames.Summary.TimestampsUs, cancellationToken);
        }

        if (frames.Indices.Length == 0)
        {
            // The second pass decoded fewer frames than the first: the file cannot be sampled exactly.
            throw new VideoReadException(entry.FullPath, "the video decodes to a different number of frames on each pass (damaged); it cannot be sampled exactly");
        }

        var record = new VideoRecord
        {
            Id = entry.Id,
            Path = entry.RelativePath,
            FrameCount = frames.Summary.FrameCount,
            Fps = info.Fps,
            FrameIndices = frames.Indices,
            TimestampsUs = frames.TimestampsUs,
            Images = frames.Images,
            Height = frames.Height,
            Width = frames.Width,
            Channels = _collector.Channels,
            Encoding = _encoder.Encoding,
            PixelType = _images.PixelType,
            Color = _images.Color,
            Flow = frames.Flow,
        };
        var periodUs = info.Fps > 0 ? (long)Math.Round(1e6 / info.Fps) : 0;
        return new ProcessedVideo(record, info.HeaderFrameCount, frames.Summary.LastTimestampUs + periodUs, warnings);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _collector.Dispose();
        _transformer.Dispose();
        _encoder.Dispose();
    }

    private SelectedFrames DecodeSelected(string path, int totalFrames, IReadOnlyList<long> timestampsUs, CancellationToken cancellationToken)
    {
        var fps = _sampling.Mode == SamplingMode.Fps;
        var available = fps ? FrameSampler.CountRateTargets(timestampsUs, _sampling.Fps!.Value) : totalFrames;
        if (_sampling.Frames.Count is { } asked && available < asked && _sampling.ShortVideo != ShortVideoPolicy.Pad)
        {
            var what = fps ? $"{available} frames at {_sampling.Fps} fps" : $"{available} frames";
            var reason = string.Create(CultureInfo.InvariantCulture,
                $"the video has {what}, fewer than the {asked} asked for (--short-video {OptionWord.Of(_sampling.ShortVideo)})");
            throw _sampling.ShortVideo == ShortVideoPolicy.Skip ? new VideoSkippedException(reason) : new VideoReadException(path, reason);
        }

        var indices = fps
            ? FrameSampler.SelectByRate(timestampsUs, _sampling.Fps!.Value, _sampling.Frames)
            : FrameSampler.Select(totalFrames, _sampling.Frames, _sampling.Mode);
        var wanted = _collector.Start(path, indices, totalFrames);
        int width = 0, height = 0, stored = 0;
        var summary = VideoDecoder.Decode(path, wanted, (index, timestampUs, bgr) =>
        {
            if (_collector.Accept(index, timestampUs, bgr) is not { } size)
            {
                return;
            }

            if (stored++ == 0)
            {
                (width, height) = (size.Width, size.Height);
            }
            else if (size.Width != width || size.Height != height)
            {
                throw new VideoReadException(path, string.Create(CultureInfo.InvariantCulture,
                    $"the frame size changes mid-stream ({width}x{height} to {size.Width}x{size.Height}); give --size to store one size"));
            }
        }, cancellationToken);

        if (!_collector.Complete())
        {
            // Fewer frames decoded than counted: the caller samples again from the decoded count.
            return new SelectedFrames(summary, [], [], [], null, 0, 0);
        }

        var (images, timestamps, flow) = _collector.Entries(indices);
        return new SelectedFrames(summary, indices, timestamps, images, flow, width, height);
    }

    private sealed record SelectedFrames(DecodeSummary Summary, int[] Indices, long[] TimestampsUs, ReadOnlyMemory<byte>[] Images, FlowImages? Flow, int Width, int Height);
}
