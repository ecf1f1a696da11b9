using System.Diagnostics;

namespace Video2TfRecord.Tests.Fixtures;

/// <summary>Runs a program the tests need (ffmpeg, mount) and fails loudly when it fails.</summary>
public static class ExternalProgram
{
    public static void Run(string program, string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var outcome = ChildProcess.Finish(process);
        if (outcome.ExitCode != 0)
        {
            throw new InvalidOperationException($"{ChildProcess.CommandLine(process)} failed: {outcome.Error}");
        }
    }
}
