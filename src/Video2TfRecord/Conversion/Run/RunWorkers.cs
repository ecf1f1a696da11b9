using System.Runtime.CompilerServices;
using OpenCvSharp;
using Video2TfRecord.Conversion.Pipeline;
using Video2TfRecord.Video;

namespace Video2TfRecord.Conversion.Run;

/// <summary>
/// The workers of a run: up to <see cref="ConversionOptions.Jobs"/> tasks, each with its own pipeline, taking the
/// pending entries in order and handing their outcomes to the reorder window; and OpenCV's process-wide thread count,
/// set to one while they run (parallelism comes from whole videos) and given back after.
/// </summary>
internal sealed class RunWorkers : IDisposable
{
    private readonly ConversionRun _run;
    private readonly EntryConverter _converter;
    private readonly int _nativeThreads;
    private readonly Task[] _tasks;

    /// <summary>Starts the workers on <paramref name="pending"/> (positions in the run's entries).</summary>
    public RunWorkers(ConversionRun run, List<int> pending, ReorderWindow<VideoOutcome> window, CancellationToken cancellationToken)
    {
        _run = run;
        var options = run.Options;
        _converter = new EntryConverter(run.Layout, run.Labels, options.Output.MaxRecordBytes, run.Storage);
        NativeDecoderLog.EnsureSilenced();
        // OpenCV's own thread pool would only oversubscribe the cores; the setting is process-wide, so Dispose puts the
        // caller's back.
        _nativeThreads = Cv2.GetNumThreads();
        if (options.Jobs > 1)
        {
            Cv2.SetNumThreads(1);
        }

        var next = new StrongBox<long>(-1);
        _tasks = new Task[Math.Min(options.Jobs, Math.Max(1, pending.Count))];
        Activity = new RunActivity(_tasks.Length, 0);
        for (var w = 0; w < _tasks.Length; w++)
        {
            var slot = w;
            _tasks[w] = Task.Run(() => WorkAsync(slot, pending, window, next, cancellationToken), cancellationToken);
        }
    }

    /// <summary>Where the workers are inside their videos.</summary>
    public RunActivity Activity { get; }

    /// <summary>Waits until every worker has stopped (they stop at their next frame once cancelled), whatever they ended with.</summary>
    public Task StoppedAsync() => Task.WhenAll(_tasks.Select(w => w.ContinueWith(_ => { }, TaskScheduler.Default)));

    /// <summary>Gives OpenCV back the thread count it had before the workers started.</summary>
    public void Dispose() => Cv2.SetNumThreads(_nativeThreads);

    private async Task WorkAsync(int slot, List<int> pending, ReorderWindow<VideoOutcome> window, StrongBox<long> next, CancellationToken cancellationToken)
    {
        var options = _run.Options;
        var entries = _run.Entries;
        var activity = Activity;
        using var pipeline = new VideoPipeline(options.Sampling, options.Images, options.Flow, _run.Layout.FlowPacking, _run.Decoder, options.Audio,
            options.Output.MaxRecordBytes);
        while (true)
        {
            await window.EnterAsync(cancellationToken).ConfigureAwait(false);
            var position = Interlocked.Increment(ref next.Value);
            if (position >= pending.Count)
            {
                window.Leave();
                return;
            }

            // The video a worker takes after this one, one round of the workers later: its download runs meanwhile.
            if (position + options.Jobs < pending.Count)
            {
                _run.Storage?.Prefetch(entries[pending[(int)(position + options.Jobs)]]);
            }

            activity.Begin(slot);
            try
            {
                window.Complete(position, await _converter.ConvertAsync(pipeline, entries[pending[(int)position]], (index, total) => activity.Reached(slot, index, total), cancellationToken)
                    .ConfigureAwait(false));
            }
            catch (Exception e)
            {
                window.Fail(position, e);
            }
            finally
            {
                activity.End(slot);
            }
        }
    }
}
