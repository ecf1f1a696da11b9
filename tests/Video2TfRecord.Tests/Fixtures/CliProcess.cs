using System.Diagnostics;

namespace Video2TfRecord.Tests.Fixtures;

/// <summary>
/// Runs the built command line as a real child process: for signals, kill -9, native stderr output, and permissions
/// (as user nobody, since tests run as root, which ignores file modes).
/// </summary>
public static class CliProcess
{
    private static string CliDll => Path.Combine(AppContext.BaseDirectory, "Video2TfRecord.Cli.dll");

    // User nobody may not be able to reach the checkout at all (a clone inside a 0700 folder made by mktemp -d), so it
    // runs its own copy of the built files from a world-readable temp folder, made once per test run.
    private static readonly Lazy<string> NobodysCopy = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("v2t-cli-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
        foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(folder, Path.GetRelativePath(AppContext.BaseDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            // Readable by all, whatever umask the checkout was made with; executables stay executable.
            var mode = File.GetUnixFileMode(file);
            File.SetUnixFileMode(target, mode | UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead
                | ((mode & UnixFileMode.UserExecute) != 0 ? UnixFileMode.GroupExecute | UnixFileMode.OtherExecute : 0));
        }

        foreach (var directory in Directory.EnumerateDirectories(folder, "*", SearchOption.AllDirectories).Append(folder))
        {
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        }

        return Path.Combine(folder, "Video2TfRecord.Cli.dll");
    });

    // A test run started in the background without job control (nohup … &, some CI runners) has SIGINT ignored, and a
    // child inherits that: env(1) resets the signals the tests send, so the CLI sees them as a user's shell would send them.
    public static Process Start(params string[] args) => StartWith(["env", "--default-signal=INT,TERM", Environment.ProcessPath!, CliDll, .. args]);

    public static CliRunner.Outcome Run(params string[] args) => Finish(Start(args));

    /// <summary>Starts the command line with these environment variables added (a server, read while it runs).</summary>
    public static Process StartWith(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        StartWith(["env", "--default-signal=INT,TERM", Environment.ProcessPath!, CliDll, .. args], environment: environment);

    /// <summary>Runs the command line with these environment variables added.</summary>
    public static CliRunner.Outcome RunWith(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Finish(StartWith([Environment.ProcessPath!, CliDll, .. args], environment: environment));

    /// <summary>Runs the command line with <paramref name="input"/> as its standard input, then closed (a pipe into it).</summary>
    public static CliRunner.Outcome RunWithInput(string input, params string[] args)
    {
        var process = StartWith([Environment.ProcessPath!, CliDll, .. args], standardInput: true);
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        return Finish(process);
    }

    public static CliRunner.Outcome RunAsNobody(params string[] args) =>
        Finish(StartWith(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", Environment.ProcessPath!, NobodysCopy.Value, .. args]));

    /// <summary>Runs any program with the test process's own environment (its HOME and NuGet caches).</summary>
    public static CliRunner.Outcome RunProgram(params string[] command) => Finish(StartWith(command, ownHome: true));

    /// <summary>Runs any program with the test process's environment and these variables added (scripts that call the CLI).</summary>
    public static CliRunner.Outcome RunProgramWith(IReadOnlyDictionary<string, string> environment, params string[] command) =>
        Finish(StartWith(command, ownHome: true, environment));

    /// <summary>The command that runs the CLI as separate words, for a script that takes them as arguments.</summary>
    public static string[] CommandWords => [Environment.ProcessPath!, CliDll];

    /// <summary>The command that runs the CLI, as one line a script splits into words: <c>dotnet …/Video2TfRecord.Cli.dll</c>.</summary>
    public static string CommandLine => string.Join(' ', CommandWords);

    /// <summary>Makes a test folder or file reachable and writable for nobody (temp folders are created 0700).</summary>
    public static void OpenToAll(string path) => File.SetUnixFileMode(path, (UnixFileMode)0b111_111_111);

    /// <summary>
    /// Reads the child's output and waits for its exit, at most <see cref="ChildProcess.Limit"/>: a child that hangs is
    /// killed with its tree and the test fails naming its command line and showing its output.
    /// </summary>
    public static CliRunner.Outcome Finish(Process process)
    {
        using (process)
        {
            return ChildProcess.Finish(process);
        }
    }

    private static Process StartWith(string[] command, bool ownHome = false, IReadOnlyDictionary<string, string>? environment = null, bool standardInput = false)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput,
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

        // A dotnet pack, publish or build started here leaves no MSBuild node, MSBuild server or compiler server behind:
        // one would inherit the child's output pipes and keep them open after the child ended (ChildProcess.Finish then
        // fails: "something it started still holds its output open"; seen once in a fresh Debian 12 root).
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"{command[0]} did not start");
    }
}
