using BenchmarkDotNet.Running;
using Video2TfRecord.Benchmarks;

// dotnet run -c Release --project bench/Video2TfRecord.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/Video2TfRecord.Benchmarks -- flow-table [sizes=64,128,256] [methods]
// dotnet run -c Release --project bench/Video2TfRecord.Benchmarks -- farneback-compare [sizes=64,128,256] [presets=default,seed]
// dotnet run -c Release --project bench/Video2TfRecord.Benchmarks -- decode-floor FILE...   (bench/throughput.sh)
if (args.Length > 0 && args[0] == "flow-table")
{
    return FlowTable.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "farneback-compare")
{
    return FarnebackComparison.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "decode-floor")
{
    return DecodeFloor.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
