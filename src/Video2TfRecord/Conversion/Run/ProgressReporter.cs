namespace Video2TfRecord.Conversion.Run;

/// <summary>
/// Turns a run's counts into <see cref="ConversionProgress"/> reports: videos done, and between them how far the
/// workers are (<see cref="Activity"/>), as a fraction that never goes back; notices ride on a report of their own.
/// </summary>
/// <param name="videosTotal">Entries the run (or worker) covers.</param>
/// <param name="progress">Where reports go, or null.</param>
internal sealed class ProgressReporter(int videosTotal, IProgress<ConversionProgress>? progress)
{
    private double _fraction;

    /// <summary>Where the workers are (<see cref="RunActivity.Snapshot"/>), once they run; read at every report.</summary>
    public Func<(double Videos, long SourceFrames)>? Activity { get; set; }

    /// <summary>Reports the counts now.</summary>
    /// <param name="done">Entries done, written or not.</param>
    /// <param name="previous">Of them, entries a previous run finished (no worker is busy with those).</param>
    /// <param name="frames">Frames written.</param>
    /// <param name="notice">A line for the user, or null.</param>
    /// <param name="failure">The entry just not written, or null.</param>
    public void Report(int done, int previous, long frames, string? notice = null, VideoFailure? failure = null)
    {
        if (progress is null)
        {
            return;
        }

        // Entries kept from a previous run count as done; the others as far as the workers have come.
        var activity = Activity?.Invoke() ?? (0, 0);
        var reached = Math.Max(done, previous + activity.Videos);
        _fraction = Math.Max(_fraction, videosTotal == 0 ? 1 : Math.Min(1, reached / videosTotal));
        progress.Report(new ConversionProgress(done, videosTotal, frames)
        {
            Fraction = _fraction,
            SourceFrames = activity.SourceFrames,
            Notice = notice,
            Failure = failure,
        });
    }
}
