using Video2TfRecord.Conversion.Output;
using Video2TfRecord.Conversion.RunRecords;

namespace Video2TfRecord.Conversion.Run;

/// <summary>
/// Counts of a running conversion, fed by the ordered writer in catalog order: entries done and written, frames,
/// failures, files, per-split counts (<see cref="SplitCounts"/>); every change is reported (<see cref="ProgressReporter"/>).
/// </summary>
/// <param name="videosTotal">Entries the run (or worker) covers.</param>
/// <param name="progress">Where reports go, or null.</param>
internal sealed class RunTally(int videosTotal, IProgress<ConversionProgress>? progress)
{
    private readonly SplitCounts _splits = new();
    private readonly ProgressReporter _reporter = new(videosTotal, progress);
    private readonly List<ManifestFile> _files = [];
    private readonly List<VideoFailure> _failures = [];
    private int _done;
    private int _previous;
    private int _written;
    private long _frames;

    /// <summary>Where the workers are (<see cref="RunActivity.Snapshot"/>), once they run; read at every report.</summary>
    public Func<(double Videos, long SourceFrames)>? Activity
    {
        get => _reporter.Activity;
        set => _reporter.Activity = value;
    }

    /// <summary>The files finished so far (kept, written and, for a bucket, uploaded), in shard order.</summary>
    public IReadOnlyList<ManifestFile> Files => _files;

    /// <summary>Entries of <paramref name="split"/> this run (or worker) covers, for its totals.</summary>
    public void PlanSplit(string split, int entries) => _splits.Plan(split, entries);

    /// <summary>Counts an entry the writer took: its warnings and, when it was not written, its failure are reported.</summary>
    public void Add(VideoOutcome outcome)
    {
        _splits.Count(outcome.Entry.Split, outcome.Status, outcome.Frames);
        foreach (var warning in outcome.Warnings)
        {
            Warn(warning);
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
            _reporter.Report(_done, _previous, _frames, $"{(outcome.Status == VideoStatus.Skipped ? "skipped" : "failed")} {failure.Name}: {failure.Reason}", failure);
        }

        _done++;
        Tick();
    }

    /// <summary>Reports how far the workers are between finished videos.</summary>
    public void Tick() => _reporter.Report(_done, _previous, _frames);

    /// <summary>Counts the entries of a shard a previous run finished, and the shard.</summary>
    public void AddPrevious(List<PreviousVideo> videos, ManifestFile file)
    {
        foreach (var video in videos)
        {
            _splits.Count(video.Split, video.Status, video.Frames);
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
        Tick();
    }

    /// <summary>Lists a finished file.</summary>
    public void AddFile(ManifestFile file) => _files.Add(file);

    /// <summary>The totals as they stand, per split too.</summary>
    public ManifestTotals Totals() => new(
        videosTotal,
        _written,
        _failures.Count(f => f.Status == VideoStatus.Skipped),
        _failures.Count(f => f.Status == VideoStatus.Failed),
        _frames,
        _files.Sum(f => f.Bytes))
    {
        Splits = _splits.Any ? _splits.Totals(_files) : null,
    };

    /// <summary>The run's result, its files named in <paramref name="directory"/>.</summary>
    public ConversionResult Result(string directory, TimeSpan elapsed) => new(
        _files.Select(f => new OutputFile(Path.Combine(directory, f.Name), f.Records, f.Bytes)).ToList(),
        videosTotal,
        _written,
        _frames,
        _failures,
        elapsed);

    /// <summary>Reports a warning.</summary>
    public void Warn(string text) => _reporter.Report(_done, _previous, _frames, $"warning: {text}");
}
