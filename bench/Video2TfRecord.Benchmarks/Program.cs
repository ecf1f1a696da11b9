using BenchmarkDotNet.Running;
using Video2TfRecord.Benchmarks;

// dotnet run -c Release --project bench/Video2TfRecord.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/Video2TfRecord.Benchmarks -- flow-table [sizes=64,128,256] [methods]
// dotnet run -c Release --project bench/Video2TfRecord.Benchmarks -- farneback-compare [sizes=64,128,256] [presets=default,seed]
// dotnet run -c Release --project bench/Video2TfRecord.Benchmarks -- decode-floor FILE...   (bench/throughput.sh)
// dotnet run -c Release --project bench/Video2TfRecord.Benchmarks -- decode-references FILE...   (the same, reference pictures only)
if (args.Length > 0 && args[0] == "flow-table")
{
    return FlowTable.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "farneback-compare")
{
    return FarnebackComparison.Run(args[1..]);
}

if (args.Length > 0 && args[0] is "decode-floor" or "decode-references")
{
    return DecodeFloor.Run(args[1..], referencesOnly: args[0] == "decode-references");
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
