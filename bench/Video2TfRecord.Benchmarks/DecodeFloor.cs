using System.Diagnostics;
using Video2TfRecord.Video;

namespace Video2TfRecord.Benchmarks;

/// <summary>
/// The decode floor of bench/throughput.sh: every frame of the given videos decoded by the system's libavcodec, one
/// decoder thread, nothing converted. Run one process per core over equal parts of a corpus.
/// </summary>
internal static class DecodeFloor
{
    public static int Run(string[] files)
    {
        var clock = Stopwatch.StartNew();
        long frames = 0;
        foreach (var file in files)
        {
            frames += FFmpegVideo.DecodeEverything(file);
        }

        Console.WriteLine($"decoded {frames} frames of {files.Length} videos in {clock.Elapsed.TotalSeconds:F2} s");
        return 0;
    }
}
