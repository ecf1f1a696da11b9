using System.Diagnostics;
using System.Globalization;
using Video2TfRecord.Conversion;

namespace Video2TfRecord.Cli;

/// <summary>
/// Progress for a stderr that is not a terminal (a log file, CI): every notice as its own line, and a count line at
/// most every few seconds and at the end, so logs stay readable.
/// </summary>
internal sealed class PlainProgress(TextWriter error, bool quiet, TimeSpan? interval = null) : IProgress<ConversionProgress>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeSpan _interval = interval ?? TimeSpan.FromSeconds(5);
    private TimeSpan? _lastLine;

    public void Report(ConversionProgress value)
    {
        if (value.Notice is { } notice)
        {
            error.WriteLine($"video2tfrecord: {notice}");
            return;
        }

        var now = _clock.Elapsed;
        if (quiet || (value.VideosDone < value.VideosTotal && _lastLine is { } last && now - last < _interval))
        {
            return;
        }

        _lastLine = now;
        var seconds = Math.Max(now.TotalSeconds, 1e-3);
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"video2tfrecord: {value.VideosDone}/{value.VideosTotal} videos ({value.Fraction:0%}), {value.FramesDone} frames stored, {value.SourceFrames / seconds:0} frames/s decoded{Remaining(value.Fraction, now)}"));
    }

    // From the fraction done so far, which moves inside long videos: elapsed × (1 − f) / f.
    private static string Remaining(double fraction, TimeSpan elapsed)
    {
        if (fraction is <= 0.01 or >= 1)
        {
            return "";
        }

        var left = TimeSpan.FromSeconds(Math.Round(elapsed.TotalSeconds * (1 - fraction) / fraction));
        return string.Create(CultureInfo.InvariantCulture, $", about {left:h\\:mm\\:ss} left");
    }
}
