using Video2TfRecord.Conversion.Output;
using Video2TfRecord.Conversion.RunRecords;

namespace Video2TfRecord.Conversion.Run;

/// <summary>Counts of a running conversion, fed by the ordered writer; reports progress and notices as it goes.</summary>
internal sealed class RunTally(int videosTotal, IProgress<ConversionProgress>? progress)
{
    // Per split (when the run has splits): entries planned, written, skipped, failed, frames.
    private readonly SortedDictionary<string, long[]> _splits = new(StringComparer.Ordinal);

    private readonly List<ManifestFile> _files = [];
    private readonly List<VideoFailure> _failures = [];
    private int _done;
    private int _previous;
    private int _written;
    private long _frames;
    private double _fraction;

    /// <summary>Where the workers are (<see cref="RunActivity.Snapshot"/>), once they run; read at every report.</summary>
    public Func<(double Videos, long SourceFrames)>? Activity { get; set; }

    public IReadOnlyList<ManifestFile> Files => _files;

    /// <summary>Entries of <paramref name="split"/> this run (or worker) covers, for its totals.</summary>
    public void PlanSplit(string split, int entries) => Split(split)[0] += entries;

    public void Add(VideoOutcome outcome)
    {
        Count(outcome.Entry.Split, outcome.Status, outcome.Frames);
        foreach (var warning in outcome.Warnings)
        {
            Notice($"warning: {warning}");
        }

        if (outcome.Status == VideoStatus.Ok)
        {
            _written++;
            _frames += outcome.Frames;
        }
        else
        {
            var failure = new VideoFailure(outcome.Entry.RelativePath, outcome.Entry.FullPath, outcome.Status, outcome.Reason ?? "")
            {
                ClipId = outcome.Entry.Clip is null ? null : outcome.Entry.Id,
            };
            _failures.Add(failure);
            progress?.Report(Progress() with { Notice = $"{(outcome.Status == VideoStatus.Skipped ? "skipped" : "failed")} {failure.Name}: {failure.Reason}", Failure = failure });
        }

        _done++;
        Report();
    }

    /// <summary>Reports how far the workers are between finished videos.</summary>
    public void Tick() => Report();

    public void AddPrevious(List<PreviousVideo> videos, ManifestFile file)
    {
        foreach (var video in videos)
        {
            Count(video.Split, video.Status, video.Frames);
            if (video.Status == VideoStatus.Ok)
            {
                _written++;
                _frames += video.Frames;
            }
            else
            {
                _failures.Add(new VideoFailure(video.Path, video.FullPath, video.Status, video.Reason ?? "") { ClipId = video.ClipId });
            }

            _done++;
            _previous++;
        }

        _files.Add(file);
        Report();
    }

    public void AddFile(ManifestFile file) => _files.Add(file);

    public ManifestTotals Totals() => new(
        videosTotal,
        _written,
        _failures.Count(f => f.Status == VideoStatus.Skipped),
        _failures.Count(f => f.Status == VideoStatus.Failed),
        _frames,
        _files.Sum(f => f.Bytes))
    {
        Splits = _splits.Count == 0 ? null : _splits.ToDictionary(p => p.Key, p => new ManifestTotals((int)p.Value[0], (int)p.Value[1], (int)p.Value[2],
            (int)p.Value[3], p.Value[4], _files.Where(f => f.Split == p.Key).Sum(f => f.Bytes)), StringComparer.Ordinal),
    };

    private long[] Split(string split)
    {
        if (!_splits.TryGetValue(split, out var counts))
        {
            _splits[split] = counts = new long[5];
        }

        return counts;
    }

    private void Count(string? split, VideoStatus status, int frames)
    {
        if (split is null)
        {
            return;
        }

        var counts = Split(split);
        counts[status switch { VideoStatus.Ok => 1, VideoStatus.Skipped => 2, _ => 3 }]++;
        counts[4] += status == VideoStatus.Ok ? frames : 0;
    }

    public ConversionResult Result(string directory, TimeSpan elapsed) => new(
        _files.Select(f => new OutputFile(Path.Combine(directory, f.Name), f.Records, f.Bytes)).ToList(),
        videosTotal,
        _written,
        _frames,
        _failures,
        elapsed);

    public void Warn(string text) => Notice($"warning: {text}");

    private void Notice(string text) => progress?.Report(Progress() with { Notice = text });

    private void Report() => progress?.Report(Progress());

    // Videos kept from a previous run count as done; the others as far as the workers have come, never going back.
    private ConversionProgress Progress()
    {
        var activity = Activity?.Invoke() ?? (0, 0);
        var done = Math.Max(_done, _previous + activity.Videos);
        _fraction = Math.Max(_fraction, videosTotal == 0 ? 1 : Math.Min(1, done / videosTotal));
        return new ConversionProgress(_done, videosTotal, _frames) { Fraction = _fraction, SourceFrames = activity.SourceFrames };
    }
}
