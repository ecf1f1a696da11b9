using System.Diagnostics;
using System.Globalization;

namespace Video2TfRecord.Tests.Fixtures;

/// <summary>Compiles a C program with the system's gcc and runs it: how the tests read struct layouts from installed headers.</summary>
public static class CProgram
{
    /// <summary>Compiles and runs <paramref name="source"/>, which prints lines "name value"; returns them.</summary>
    /// <param name="source">The C program.</param>
    /// <param name="includeDirectory">A folder of headers searched before the system's, or null.</param>
    public static Dictionary<string, long> PrintedValues(string source, string? includeDirectory = null)
    {
        using var temp = new TempDirectory();
        var c = temp.Combine("program.c");
        var exe = temp.Combine("program");
        File.WriteAllText(c, source);
        ExternalProgram.Run("gcc", includeDirectory is null ? ["-o", exe, c] : ["-I", includeDirectory, "-o", exe, c]);
        var start = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var outcome = ChildProcess.Finish(process);
        if (outcome.ExitCode != 0)
        {
            throw new InvalidOperationException($"{exe} exited with {outcome.ExitCode}: {outcome.Error}");
        }

        return outcome.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }
}
