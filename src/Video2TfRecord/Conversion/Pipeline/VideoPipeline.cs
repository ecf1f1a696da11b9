using System.Globalization;
using Video2TfRecord.Audio;
using Video2TfRecord.Conversion.Inputs;
using Video2TfRecord.Conversion.Output;
using Video2TfRecord.Flow;
using Video2TfRecord.Frames;
using Video2TfRecord.Records;
using Video2TfRecord.Sampling;
using Video2TfRecord.Video;

namespace Video2TfRecord.Conversion.Pipeline;

/// <summary>
/// Turns one video into its <see cref="VideoRecord"/>: probe the frame count, choose the indices, decode only those
/// frames, transform and encode them. Holds reusable frame buffers: one per worker, not thread-safe.
/// </summary>
internal sealed class VideoPipeline : IDisposable
{
    private readonly SamplingOptions _sampling;
    private readonly ImageOptions _images;
    private readonly FlowPairs? _flowPairs;
    private readonly FrameTransformer _transformer;
    private readonly ImageEncoder _encoder;
    private readonly FrameCollector _collector;
    private readonly IVideoDecoder _decoder;
    private readonly AudioOptions _audio;
    private readonly bool _extraChannel;
    private readonly long _maxRecordBytes;

    // Scratch frames above this are freed after each video (see FrameTransformer.ReleaseLarge).
    private const long LargeFrameBytes = 64L << 20;

    /// <summary>Creates a pipeline for validated, resolved options (see <see cref="ConversionOptions.Resolve"/>).</summary>
    /// <param name="sampling">Which frames are kept.</param>
    /// <param name="images">How they are stored; a concrete encoding.</param>
    /// <param name="flow">Optical flow, or <see cref="FlowOptions.None"/>; a concrete encoding.</param>
    /// <param name="flowPacking">How the record layout stores flow images.</param>
    /// <param name="decoder">The decoder backend (see <see cref="VideoDecoder.Create"/>).</param>
    /// <param name="audio">The audio to store, or null for none; needs the FFmpeg backend.</param>
    /// <param name="maxRecordBytes">The record size a plan is checked against before anything is decoded.</param>
    public VideoPipeline(SamplingOptions sampling, ImageOptions images, FlowOptions flow, FlowPacking flowPacking, IVideoDecoder decoder,
        AudioOptions? audio = null, long maxRecordBytes = OutputOptions.MaxRecordBytesLimit)
    {
        _maxRecordBytes = maxRecordBytes;
        _extraChannel = flow?.IsSeedChannel ?? false;
        _audio = audio ?? AudioOptions.None;
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(sampling);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(flow);
        _sampling = sampling;
        _decoder = decoder;
        _images = images;
        _transformer = new FrameTransformer(images.Resize, images.Color, images.PixelType);
        _encoder = new ImageEncoder(images.Encoding, images.JpegQuality);
        _flowPairs = flow.Enabled ? flow.Pairs : null;
        _collector = new FrameCollector(flow, flowPacking, images, _transformer, _encoder);
    }

    /// <summary>Converts one video.</summary>
    /// <param name="entry">The video.</param>
    /// <param name="cancellationToken">Checked between frames.</param>
    /// <param name="reached">Called with (source frame index, frame count) as decoding reaches each frame it keeps, or null.</param>
    /// <param name="file">The local file to read, when it is not the entry's path (a downloaded copy of an <c>s3://</c> video); messages still name the entry.</param>
    /// <exception cref="VideoReadException">The video cannot be read, or is short and <c>--short-video error</c>.</exception>
    /// <exception cref="VideoSkippedException">The video is short and <c>--short-video skip</c>.</exception>
    public ProcessedVideo Process(CatalogEntry entry, CancellationToken cancellationToken, Action<int, int>? reached = null, string? file = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var warnings = new List<string>();
        file ??= entry.FullPath;
        using var video = Open(entry, file, cancellationToken);
        var info = video.Info;
        var window = Window(entry, info.TimestampsUs, info.DurationUs);
        var stored = _images.Resize.GeometryFor(new OpenCvSharp.Size(info.Width, info.Height)).Stored;
        var plan = Plan(entry.FullPath, info.FrameCount, info.TimestampsUs, window, stored);
        var summary = Decode(video, entry.FullPath, plan, reached, cancellationToken);
        if (summary.FrameCount == 0)
        {
            throw new VideoReadException(entry.FullPath, "no frame decodes (the video data is damaged or in a codec the decoder lacks)");
        }

        var complete = _collector.Complete();
        if (!plan.Agrees(summary.FrameCount, summary.TimestampsUs, _sampling.Mode == SamplingMode.Fps))
        {
            // The packet count and times are only a forecast (MPEG-PS reports 0 for its last frame; a truncated file has
            // fewer frames); the decode is the truth. Choose again from it.
            if (summary.FrameCount != plan.TotalFrames)
            {
                var lost = summary.Lost is { } where ? $"; {where}" : "";
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{entry.FullPath}: the stream has {info.FrameCount} packets but decodes to {summary.FrameCount} frames (truncated or damaged{lost}); sampling from the {summary.FrameCount} frames that decode"));
            }

            window = Window(entry, summary.TimestampsUs, VideoInfo.DurationOf(summary.TimestampsUs, info.Fps));
            plan = Plan(entry.FullPath, summary.FrameCount, summary.TimestampsUs, window, stored);
            summary = Decode(video, entry.FullPath, plan, reached, cancellationToken);
            complete = _collector.Complete();
        }

        if (_sampling.Fps is { } rate && info.Fps > 0 && (double)rate > info.Fps * 1.001 && plan.Indices.Count > plan.Slots.Count)
        {
            // Faster than the source can only repeat frames: say so, or a 9,961-frame record of 250 frames goes unnoticed.
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"{entry.FullPath}: --fps {rate} is above the video's {info.Fps:0.###} fps: {plan.Indices.Count - plan.Slots.Count} of the {plan.Indices.Count} stored frames repeat the frame before them"));
        }

        if (!complete)
        {
            // The second pass decoded fewer frames than the first: the file cannot be sampled exactly.
            throw new VideoReadException(entry.FullPath, "the video decodes to a different number of frames on each pass (damaged); it cannot be sampled exactly");
        }

        if (window?.Note is { } clipped)
        {
            warnings.Add($"{Name(entry)}: {clipped}");
        }

        var duration = VideoInfo.DurationOf(summary.TimestampsUs, info.Fps);
        var audio = ReadAudio(entry, file, video, window is null ? (0, duration) : (window.StartUs, window.EndUs), warnings, cancellationToken);
        var (images, timestamps, flow) = _collector.Entries();
        _transformer.ReleaseLarge(LargeFrameBytes);
        var record = new VideoRecord
        {
            Id = entry.Id,
            SourceId = entry.SourceId,
            Clip = window is null ? null : (window.StartUs, window.EndUs),
            Path = entry.RelativePath,
            FrameCount = summary.FrameCount,
            Fps = info.Fps,
            FrameIndices = [.. plan.Indices],
            TimestampsUs = timestamps,
            Images = images,
            Height = _collector.StoredSize.Height,
            Width = _collector.StoredSize.Width,
            Channels = _collector.Channels,
            Encoding = _encoder.Encoding,
            PixelType = _images.PixelType,
            Color = _images.Color,
            Flow = flow,
            Audio = audio,
        };
        return new ProcessedVideo(record, info.HeaderFrameCount, duration, warnings);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _collector.Dispose();
        _transformer.Dispose();
        _encoder.Dispose();
    }

    // The audio of the record's span, or null (none asked for, or none in the file under --audio optional).
    private AudioTrack? ReadAudio(CatalogEntry entry, string file, IVideoSource video, (long StartUs, long EndUs) span, List<string> warnings,
        CancellationToken cancellationToken)
    {
        if (!_audio.Enabled)
        {
            return null;
        }

        if (video.ClockOriginSeconds is not { } origin)
        {
            throw new InvalidOperationException("Audio needs the FFmpeg backend; the options check this before a run.");
        }

        var audio = AudioReader.Read(file, origin, span.StartUs, span.EndUs, _audio, cancellationToken);
        if (audio is null)
        {
            if (_audio.Mode == AudioMode.Required)
            {
                throw new VideoSkippedException("it has no audio stream (--audio required)");
            }

            warnings.Add($"{Name(entry)}: it has no audio stream: the record has no audio keys");
        }

        return audio;
    }

    // The decoder's failures name the file it opened; a downloaded copy's are told under the entry's own path.
    private IVideoSource Open(CatalogEntry entry, string file, CancellationToken cancellationToken)
    {
        try
        {
            return _decoder.Open(file, _images, cancellationToken);
        }
        catch (VideoReadException e) when (!string.Equals(file, entry.FullPath, StringComparison.Ordinal))
        {
            throw new VideoReadException(entry.FullPath, e.Cause, e.Frame, e);
        }
    }

    private static string Name(CatalogEntry entry) => entry.Clip is null ? entry.FullPath : $"{entry.FullPath} (clip {entry.Id})";

    // Where the entry's clip lies in the video, or null for a whole video.
    private static WindowFrames? Window(CatalogEntry entry, IReadOnlyList<long> timestampsUs, long durationUs)
    {
        if (entry.Clip is not { } clip)
        {
            return null;
        }

        var window = clip.Window.Locate(timestampsUs, durationUs);
        return window.Reason is { } reason ? throw new VideoSkippedException(reason) : window;
    }

    private FramePlan Plan(string path, int totalFrames, IReadOnlyList<long> timestampsUs, WindowFrames? window, OpenCvSharp.Size stored)
    {
        // Before any list of that length exists: --fps 1000000 over an hour would otherwise ask for 3.6·10^9 entries.
        var entries = FramePlan.EntryCount(totalFrames, timestampsUs, _sampling, window);
        if (RecordSize.PlanRefusal(entries, stored.Width, stored.Height, _sampling, _images, _extraChannel, _maxRecordBytes) is { } refusal)
        {
            throw new VideoSkippedException(refusal);
        }

        var plan = FramePlan.Create(totalFrames, timestampsUs, _sampling, _flowPairs, window);
        if (plan.Shortfall is { } reason)
        {
            throw _sampling.ShortVideo == ShortVideoPolicy.Skip ? new VideoSkippedException(reason) : new VideoReadException(path, reason);
        }

        return plan;
    }

    private DecodeSummary Decode(IVideoSource video, string path, FramePlan plan, Action<int, int>? reached, CancellationToken cancellationToken)
    {
        _collector.Start(path, plan);
        if (reached is null)
        {
            return video.Decode(plan.Decode, _collector.Accept, cancellationToken);
        }

        var total = plan.TotalFrames;
        return video.Decode(plan.Decode, (index, us, frame) =>
        {
            _collector.Accept(index, us, frame);
            reached(index, total);
        }, cancellationToken);
    }
}
