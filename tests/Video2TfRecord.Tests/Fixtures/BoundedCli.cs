namespace Video2TfRecord.Tests.Fixtures;

/// <summary>
/// The command line as a child process that is killed after two minutes whatever it does (exit 137): for behaviour that
/// used to hang (a named pipe) or to grow memory without bound, so a regression fails the test instead of stalling the suite.
/// </summary>
public static class BoundedCli
{
    /// <summary>The managed heap limit <see cref="RunWithSmallHeap"/> sets: 192 MiB, far more than a conversion of tiny videos needs.</summary>
    public const string SmallHeap = "0xC000000";

    public static CliRunner.Outcome Run(params string[] args) => RunWith(new Dictionary<string, string>(), args);

    /// <summary>Runs with a small managed heap: work sized by a hostile number instead of the input runs out of memory.</summary>
    public static CliRunner.Outcome RunWithSmallHeap(params string[] args) =>
        RunWith(new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = SmallHeap }, args);

    private static CliRunner.Outcome RunWith(IReadOnlyDictionary<string, string> environment, string[] args) =>
        CliProcess.RunProgramWith(environment,
            ["timeout", "-s", "KILL", "120", Environment.ProcessPath!, Path.Combine(AppContext.BaseDirectory, "Video2TfRecord.Cli.dll"), .. args]);
}
