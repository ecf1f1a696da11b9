using System.Diagnostics;
using System.Globalization;
using OpenCvSharp;
using Video2TfRecord.Flow;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Benchmarks;

/// <summary>
/// <c>flow-table</c>: accuracy and speed of every flow method on synthetic pairs, one thread. Endpoint errors are
/// measured after the stored ±20 px → 0..255 round trip; times are the median of single pairs after a warm-up.
/// </summary>
public static class FlowTable
{
    private const int WarmUpCalls = 60;
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(1);
    private const int Timed = 25;

    public static int Run(string[] args)
    {
        var sizes = args.Length > 0 ? args[0].Split(',').Select(int.Parse).ToArray() : [64, 128, 256];
        var only = args.Length > 1 ? args[1].Split(',') : null;
        Cv2.SetNumThreads(1);
        Console.WriteLine($"{"method",-18} {"size",-8} {"EPE rot 1°",10} {"EPE shift",10} {"EPE square",10} {"ms/pair",9}");
        foreach (var (label, create) in Methods())
        {
            if (only is not null && !only.Contains(label))
            {
                continue;
            }

            foreach (var size in sizes)
            {
                using var method = create();
                using var rotation = SyntheticFlow.Rotation(size, size, 1);
                using var shift = SyntheticFlow.Translation(size, size, 1.3, -0.7);
                using var square = SyntheticFlow.MovingSquare(size, size, 2.4, -1.6);
                var (rotationError, milliseconds) = Measure(method, rotation);
                var shiftError = Error(method, shift);
                var squareError = Error(method, square);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{label,-18} {$"{size}x{size}",-8} {rotationError,10:F3} {shiftError,10:F3} {squareError,10:F3} {milliseconds,9:F2}"));
            }
        }

        return 0;
    }

    private static (string Label, Func<IOpticalFlow> Create)[] Methods() =>
    [
        ("farneback-default", () => new FarnebackFlow(FlowPreset.Default)),
        ("farneback-seed", () => new FarnebackFlow(FlowPreset.Seed)),
        ("opencv-farneback-default", () => new OpenCvFarnebackFlow(FlowPreset.Default)),
        ("opencv-farneback-seed", () => new OpenCvFarnebackFlow(FlowPreset.Seed)),
        ("tvl1", () => new TvL1Flow()),
        ("dis", () => new DisFlow()),
    ];

    private static (double Error, double Milliseconds) Measure(IOpticalFlow method, FlowPair pair)
    {
        // Long enough for the JIT's tier-1 code (30 calls, then a background compile) to replace the first code.
        using var flow = new Mat();
        var warmUp = Stopwatch.GetTimestamp();
        for (var i = 0; i < WarmUpCalls || Stopwatch.GetElapsedTime(warmUp) < WarmUpTime; i++)
        {
            method.Compute(pair.Previous, pair.Next, flow);
        }

        var times = new double[Timed];
        for (var i = 0; i < Timed; i++)
        {
            var start = Stopwatch.GetTimestamp();
            method.Compute(pair.Previous, pair.Next, flow);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        return (SyntheticFlow.StoredEndpointError(pair, flow), times[Timed / 2]);
    }

    private static double Error(IOpticalFlow method, FlowPair pair)
    {
        using var flow = new Mat();
        method.Compute(pair.Previous, pair.Next, flow);
        return SyntheticFlow.StoredEndpointError(pair, flow);
    }
}
