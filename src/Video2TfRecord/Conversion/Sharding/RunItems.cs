using System.Globalization;
using Video2TfRecord.Conversion.Annotations;
using Video2TfRecord.Conversion.Inputs;
using Video2TfRecord.Conversion.Remote;
using Video2TfRecord.Sampling;
using Video2TfRecord.Video;

namespace Video2TfRecord.Conversion.Sharding;

/// <summary>
/// What a run writes one record each for, in shard order: whole videos, or clips of them (a clips CSV, or fixed windows);
/// grouped by split when the annotations name splits; and the entries that are listed but not written, with their reason.
/// Decided before anything is written, so the shard plan (and every worker's share of it) is fixed.
/// </summary>
internal sealed class RunItems
{
    internal RunItems(List<CatalogEntry> entries, List<(VideoStatus, string)?> notWritten, List<ShardGroup> groups)
    {
        Entries = entries;
        NotWritten = notWritten;
        Groups = groups;
    }

    /// <summary>The entries in shard order.</summary>
    public IReadOnlyList<CatalogEntry> Entries { get; }

    /// <summary>For each entry, why it is listed and not written (status and reason), or null when it is converted.</summary>
    public IReadOnlyList<(VideoStatus Status, string Reason)?> NotWritten { get; }

    /// <summary>The splits, in order (one unnamed group without splits).</summary>
    public IReadOnlyList<ShardGroup> Groups { get; }

    /// <summary>Whether records are split into file sets.</summary>
    public bool HasSplits => Groups is not [{ Split: null }];

    /// <summary>Builds the entries of a run.</summary>
    /// <param name="options">Resolved options.</param>
    /// <param name="catalog">The videos.</param>
    /// <param name="clips">The clips CSV, when <c>--clips</c> is given.</param>
    /// <param name="labels">The run's labels.</param>
    /// <param name="decoder">Probes the videos' durations for <c>--clip-length</c>.</param>
    /// <param name="storage">Gives the probes local files of <c>s3://</c> videos; null when every video is local.</param>
    /// <exception cref="OptionException">Split names break the layout's rules, or clips are wrong as <see cref="ClipTable.Expand"/> says.</exception>
    /// <param name="cancellationToken">Stops the probes.</param>
    public static async Task<RunItems> BuildAsync(ConversionOptions options, IReadOnlyList<CatalogEntry> catalog, ClipTable? clips, RunLabels labels, IVideoDecoder decoder,
        RunStorage? storage, CancellationToken cancellationToken)
    {
        var entries = new List<CatalogEntry>();
        var notWritten = new List<(VideoStatus, string)?>();
        if (clips is not null)
        {
            foreach (var (entry, missing) in clips.Entries)
            {
                entries.Add(entry);
                notWritten.Add(missing is null ? null : (VideoStatus.Skipped, missing));
            }
        }
        else if (options.Clips.Length is { } length)
        {
            Windows(options, catalog, Microseconds(length), Microseconds(options.Clips.Stride ?? length), await DurationProbe.ProbeAsync(options, catalog, decoder, storage, cancellationToken).ConfigureAwait(false),
                entries, notWritten);
        }
        else
        {
            entries.AddRange(catalog);
            notWritten.AddRange(catalog.Select(_ => ((VideoStatus, string)?)null));
        }

        for (var i = 0; i < entries.Count; i++)
        {
            if (notWritten[i] is null && labels.IsExcluded(entries[i]))
            {
                notWritten[i] = (VideoStatus.Skipped, RunLabels.MissingReason);
            }
        }

        return SplitGrouping.Group(options, entries, notWritten, clips, labels);
    }

    private static long Microseconds(decimal seconds) => (long)Math.Round(seconds * 1_000_000m, MidpointRounding.ToEven);

    // Every video cut into fixed windows of its probed duration; the last partial window follows --short-video.
    private static void Windows(ConversionOptions options, IReadOnlyList<CatalogEntry> catalog, long lengthUs, long strideUs,
        IReadOnlyList<(long DurationUs, string? Failure)> probed, List<CatalogEntry> entries, List<(VideoStatus, string)?> notWritten)
    {
        var policy = options.Sampling.ShortVideo;
        for (var k = 0; k < catalog.Count; k++)
        {
            var (duration, failure) = probed[k];
            if (failure is not null)
            {
                entries.Add(catalog[k]);
                notWritten.Add((VideoStatus.Failed, failure));
                continue;
            }

            foreach (var (window, partial) in ClipWindow.Fixed(duration, lengthUs, strideUs))
            {
                entries.Add(catalog[k].AsClip(new ClipSpec(window)));
                notWritten.Add(partial && policy != ShortVideoPolicy.Pad
                    ? (policy == ShortVideoPolicy.Skip ? VideoStatus.Skipped : VideoStatus.Failed, string.Create(CultureInfo.InvariantCulture,
                        $"the last window {ClipWindow.Describe(window.StartUs, window.EndUs)} is shorter than --clip-length {ClipWindow.Seconds(lengthUs)} s (--short-video {OptionWord.Of(policy)})"))
                    : null);
            }
        }
    }
}
