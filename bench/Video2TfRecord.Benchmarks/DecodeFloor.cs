using System.Diagnostics;
using Video2TfRecord.Video;

namespace Video2TfRecord.Benchmarks;

/// <summary>
/// The decode floor of bench/throughput.sh: every frame of the given videos decoded by the system's libavcodec, one
/// decoder thread, nothing converted. Run one process per core over equal parts of a corpus. With
/// <c>referencesOnly</c> (<c>decode-references</c>) every packet goes to libavcodec with <c>skip_frame</c> set to
/// <c>AVDISCARD_NONREF</c>: only the pictures other pictures may reference are decoded, the least any decoder that
/// skips unreferenced pictures (as --frames N does) has to decode to reach the last one.
/// </summary>
internal static class DecodeFloor
{
    public static int Run(string[] files, bool referencesOnly)
    {
        var clock = Stopwatch.StartNew();
        long frames = 0;
        foreach (var file in files)
        {
            frames += FFmpegVideo.DecodeEverything(file, referencesOnly);
        }

        Console.WriteLine($"decoded {frames} frames of {files.Length} videos in {clock.Elapsed.TotalSeconds:F2} s");
        return 0;
    }
}
