using System.Diagnostics;

namespace Video2TfRecord.Tests.Fixtures;

/// <summary>
/// Runs the built command line as user nobody: tests run as root, which ignores file permissions, so permission
/// failures are only real for another user.
/// </summary>
public static class AsNobody
{
    public static CliRunner.Outcome Run(params string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "Video2TfRecord.Cli.dll");
        var start = new ProcessStartInfo("setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--reuid=65534", "--regid=65534", "--clear-groups", Environment.ProcessPath!, cli, .. args])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HOME"] = "/tmp";
        start.Environment["DOTNET_CLI_HOME"] = "/tmp";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("setpriv did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new CliRunner.Outcome(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Makes a test folder reachable and writable for nobody (temp folders are created 0700).</summary>
    public static void Open(string path) => File.SetUnixFileMode(path, (UnixFileMode)0b111_111_111);
}
