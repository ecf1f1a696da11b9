using Video2TfRecord.Cli;

namespace Video2TfRecord.Tests.Fixtures;

/// <summary>Runs the real command line in-process and captures both streams.</summary>
public static class CliRunner
{
    public sealed record Outcome(int ExitCode, string Output, string Error);

    public static Outcome Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CliApplication.RunAsync(args, output, error).GetAwaiter().GetResult();
        return new Outcome(code, output.ToString(), error.ToString());
    }
}
