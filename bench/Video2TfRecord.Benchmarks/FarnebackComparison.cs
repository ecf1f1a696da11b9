using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using OpenCvSharp;
using Video2TfRecord.Flow;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Benchmarks;

/// <summary>
/// <c>farneback-compare</c>: this project's Farneback against OpenCV's on the flow table's synthetic pairs, one thread:
/// the mean and largest endpoint distance between the two raw fields (no storage round trip) and the median CPU ms per
/// pair of each over 101 pairs taken in turns (the calling thread's CPU time, so that other processes on a shared
/// machine count less).
/// </summary>
public static class FarnebackComparison
{
    private const int WarmUpCalls = 60;
    private const int Timed = 101;

    public static int Run(string[] args)
    {
        var sizes = args.Length > 0 ? args[0].Split(',').Select(int.Parse).ToArray() : [64, 128, 256];
        Cv2.SetNumThreads(1);
        Console.WriteLine($"{"preset",-8} {"size",-8} {"pair",-9} {"mean |ours-cv|",15} {"max",9} {"ours ms",8} {"opencv ms",10} {"speed-up",9}");
        var presets = args.Length > 1 ? args[1].Split(',').Select(p => Enum.Parse<FlowPreset>(p, ignoreCase: true)).ToArray() : [FlowPreset.Default, FlowPreset.Seed];
        foreach (var preset in presets)
        {
            foreach (var size in sizes)
            {
                using var ours = new FarnebackFlow(preset);
                using var opencv = new OpenCvFarnebackFlow(preset);
                var pairs = new (string Name, FlowPair Pair)[]
                {
                    ("rotation", SyntheticFlow.Rotation(size, size, 1)),
                    ("shift", SyntheticFlow.Translation(size, size, 1.3, -0.7)),
                    ("square", SyntheticFlow.MovingSquare(size, size, 2.4, -1.6)),
                };
                foreach (var (name, pair) in pairs)
                {
                    using var a = new Mat();
                    using var b = new Mat();
                    ours.Compute(pair.Previous, pair.Next, a);
                    opencv.Compute(pair.Previous, pair.Next, b);
                    var (mean, max) = Distance(a, b);
                    var (oursMs, opencvMs) = name == "rotation" ? Time(ours, opencv, pair) : (double.NaN, double.NaN);
                    Console.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{preset.ToString().ToLowerInvariant(),-8} {$"{size}x{size}",-8} {name,-9} {mean,15:F6} {max,9:F5} {oursMs,8:F2} {opencvMs,10:F2} {opencvMs / oursMs,9:F2}"));
                    pair.Dispose();
                }
            }
        }

        return 0;
    }

    // The two methods take turns, one pair each, so that a burst of load from other processes falls on both alike.
    private static (double Ours, double OpenCv) Time(IOpticalFlow ours, IOpticalFlow opencv, FlowPair pair)
    {
        using var flow = new Mat();
        var warmUp = Stopwatch.GetTimestamp();
        for (var i = 0; i < WarmUpCalls || Stopwatch.GetElapsedTime(warmUp) < TimeSpan.FromSeconds(1); i++)
        {
            ours.Compute(pair.Previous, pair.Next, flow);
            opencv.Compute(pair.Previous, pair.Next, flow);
        }

        var (oursTimes, opencvTimes) = (new double[Timed], new double[Timed]);
        for (var i = 0; i < Timed; i++)
        {
            oursTimes[i] = CpuMilliseconds(ours, pair, flow);
            opencvTimes[i] = CpuMilliseconds(opencv, pair, flow);
        }

        Array.Sort(oursTimes);
        Array.Sort(opencvTimes);
        return (oursTimes[Timed / 2], opencvTimes[Timed / 2]);
    }

    private static double CpuMilliseconds(IOpticalFlow method, FlowPair pair, Mat flow)
    {
        var start = ThreadCpuMilliseconds();
        method.Compute(pair.Previous, pair.Next, flow);
        return ThreadCpuMilliseconds() - start;
    }

    // CPU time of the calling thread: on a shared machine, wall time also counts the time other processes ran.
    private static double ThreadCpuMilliseconds()
    {
        _ = ClockGetTime(3, out var time); // CLOCK_THREAD_CPUTIME_ID
        return (time.Seconds * 1e3) + (time.Nanoseconds / 1e6);
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private static (double Mean, double Max) Distance(Mat a, Mat b)
    {
        var (x, y) = (Floats(a), Floats(b));
        double sum = 0, max = 0;
        for (var i = 0; i < x.Length; i += 2)
        {
            var d = Math.Sqrt(Math.Pow(x[i] - y[i], 2) + Math.Pow(x[i + 1] - y[i + 1], 2));
            sum += d;
            max = Math.Max(max, d);
        }

        return (sum / (x.Length / 2), max);
    }

    private static float[] Floats(Mat mat)
    {
        var floats = new float[mat.Total() * 2];
        Marshal.Copy(mat.Data, floats, 0, floats.Length);
        return floats;
    }
}
