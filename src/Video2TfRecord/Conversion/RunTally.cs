namespace Video2TfRecord.Conversion;

/// <summary>Counts of a running conversion, fed by the ordered writer; reports progress and notices as it goes.</summary>
internal sealed class RunTally(int videosTotal, IProgress<ConversionProgress>? progress)
{
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

    public void Add(VideoOutcome outcome)
    {
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
            var failure = new VideoFailure(outcome.Entry.RelativePath, outcome.Entry.FullPath, outcome.Status, outcome.Reason ?? "");
            _failures.Add(failure);
            Notice($"{(outcome.Status == VideoStatus.Skipped ? "skipped" : "failed")} {failure.FullPath}: {failure.Reason}");
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
            if (video.Status == VideoStatus.Ok)
            {
                _written++;
                _frames += video.Frames;
            }
            else
            {
                _failures.Add(new VideoFailure(video.Path, video.FullPath, video.Status, video.Reason ?? ""));
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
        _files.Sum(f => f.Bytes));

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
