using System.Diagnostics;

namespace Video2TfRecord.Tests.Fixtures;

/// <summary>
/// Runs the built command line as a real child process: for signals, kill -9, native stderr output, and permissions
/// (as user nobody, since tests run as root, which ignores file modes).
/// </summary>
public static class CliProcess
{
    private static string CliDll => Path.Combine(AppContext.BaseDirectory, "Video2TfRecord.Cli.dll");

    public static Process Start(params string[] args) => StartWith([Environment.ProcessPath!, CliDll, .. args]);

    public static CliRunner.Outcome Run(params string[] args) => Finish(Start(args));

    /// <summary>Runs the command line with these environment variables added.</summary>
    public static CliRunner.Outcome RunWith(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Finish(StartWith([Environment.ProcessPath!, CliDll, .. args], environment: environment));

    public static CliRunner.Outcome RunAsNobody(params string[] args) =>
        Finish(StartWith(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", Environment.ProcessPath!, CliDll, .. args]));

    /// <summary>Runs any program with the test process's own environment (its HOME and NuGet caches).</summary>
    public static CliRunner.Outcome RunProgram(params string[] command) => Finish(StartWith(command, ownHome: true));

    /// <summary>Makes a test folder or file reachable and writable for nobody (temp folders are created 0700).</summary>
    public static void OpenToAll(string path) => File.SetUnixFileMode(path, (UnixFileMode)0b111_111_111);

    public static CliRunner.Outcome Finish(Process process)
    {
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return new CliRunner.Outcome(process.ExitCode, output.Result, error.Result);
        }
    }

    private static Process StartWith(string[] command, bool ownHome = false, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command[1..])
        {
            start.ArgumentList.Add(argument);
        }

        if (!ownHome)
        {
            start.Environment["HOME"] = "/tmp";
            start.Environment["DOTNET_CLI_HOME"] = "/tmp";
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"{command[0]} did not start");
    }
}
