using System.Collections.Concurrent;
using Video2TfRecord.Conversion.Inputs;
using Video2TfRecord.Conversion.Remote;
using Video2TfRecord.Frames;
using Video2TfRecord.Video;

namespace Video2TfRecord.Conversion.Sharding;

/// <summary>
/// The durations <c>--clip-length</c> cuts into windows, before the plan is made: each video's packets are counted
/// (nothing decoded), <see cref="ConversionOptions.Jobs"/> videos at once; <c>s3://</c> videos are downloaded first.
/// </summary>
internal static class DurationProbe
{
    /// <summary>Each video's duration in µs, or why it could not be probed (then 0), in catalog order.</summary>
    public static IReadOnlyList<(long DurationUs, string? Failure)> Probe(ConversionOptions options, IReadOnlyList<CatalogEntry> catalog, IVideoDecoder decoder,
        RunStorage? storage)
    {
        NativeDecoderLog.EnsureSilenced();
        var probed = new ConcurrentDictionary<int, (long DurationUs, string? Failure)>();
        Parallel.For(0, catalog.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Jobs }, k =>
        {
            try
            {
                var file = catalog[k].FullPath;
                using var lease = storage?.Acquire(catalog[k], CancellationToken.None, out file);
                using var video = decoder.Open(file, options.Images with { Resize = FrameResize.None });
                probed[k] = (video.Info.DurationUs, null);
            }
            catch (VideoReadException e)
            {
                probed[k] = (0, e.Cause);
            }
        });
        return [.. Enumerable.Range(0, catalog.Count).Select(k => probed[k])];
    }
}
