using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Video2TfRecord.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
