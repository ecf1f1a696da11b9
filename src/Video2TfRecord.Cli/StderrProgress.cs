using System.Globalization;
using Video2TfRecord.Conversion;

namespace Video2TfRecord.Cli;

/// <summary>Prints conversion progress to stderr: every notice, and a count line per video unless quiet.</summary>
internal sealed class StderrProgress(TextWriter error, bool quiet) : IProgress<ConversionProgress>
{
    public void Report(ConversionProgress value)
    {
        if (value.Notice is { } notice)
        {
            error.WriteLine($"video2tfrecord: {notice}");
        }
        else if (!quiet)
        {
            error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{value.VideosDone}/{value.VideosTotal}] videos, {value.FramesDone} frames"));
        }
    }
}
