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
    public static async Task<IReadOnlyList<(long DurationUs, string? Failure)>> ProbeAsync(ConversionOptions options, IReadOnlyList<CatalogEntry> catalog,
        IVideoDecoder decoder, RunStorage? storage, CancellationToken cancellationToken)
    {
        NativeDecoderLog.EnsureSilenced();
        var probed = new ConcurrentDictionary<int, (long DurationUs, string? Failure)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, catalog.Count), new ParallelOptions { MaxDegreeOfParallelism = options.Jobs, CancellationToken = cancellationToken },
            async (k, token) =>
            {
                try
                {
                    using var local = storage is null ? null : await storage.AcquireAsync(catalog[k], token).ConfigureAwait(false);
                    using var video = decoder.Open(local?.Path ?? catalog[k].FullPath, options.Images with { Resize = FrameResize.None });
                    probed[k] = (video.Info.DurationUs, null);
                }
                catch (VideoReadException e)
                {
                    probed[k] = (0, e.Cause);
                }
            }).ConfigureAwait(false);
        return [.. Enumerable.Range(0, catalog.Count).Select(k => probed[k])];
    }
}
