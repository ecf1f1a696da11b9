using System.Globalization;
using Spectre.Console;
using Video2TfRecord.Conversion;

namespace Video2TfRecord.Cli;

/// <summary>A live progress bar on a terminal (videos, videos/s, frames/s, ETA); notices print above it.</summary>
internal sealed class LiveProgress(IAnsiConsole console, ProgressTask task) : IProgress<ConversionProgress>
{
    private readonly DateTime _started = DateTime.UtcNow;

    /// <summary>Runs <paramref name="work"/> under a live bar on <paramref name="error"/>.</summary>
    public static Task<T> RunAsync<T>(TextWriter error, Func<IProgress<ConversionProgress>, Task<T>> work)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        return console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(context => work(new LiveProgress(console, context.AddTask("converting", autoStart: true, maxValue: 1))));
    }

    public void Report(ConversionProgress value)
    {
        if (value.Notice is { } notice)
        {
            console.MarkupLineInterpolated($"[yellow]video2tfrecord:[/] {notice}");
            return;
        }

        // The bar and its remaining time follow the fraction, which moves inside long videos too.
        var seconds = Math.Max((DateTime.UtcNow - _started).TotalSeconds, 1e-3);
        task.MaxValue = 1;
        task.Value = value.Fraction;
        task.Description = string.Create(CultureInfo.InvariantCulture,
            $"{value.VideosDone}/{value.VideosTotal} videos  {value.VideosDone / seconds:0.0} videos/s  {value.SourceFrames / seconds:0} frames/s decoded");
    }
}
