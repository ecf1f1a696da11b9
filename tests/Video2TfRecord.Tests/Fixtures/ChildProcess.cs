using System.Diagnostics;

namespace Video2TfRecord.Tests.Fixtures;

/// <summary>
/// Waits for a child process the tests started, never without a bound: one that has not ended in time is killed with
/// its whole tree and the test fails with the command line and what it printed, instead of hanging the run until CI's
/// own limit.
/// </summary>
public static class ChildProcess
{
    /// <summary>
    /// How long any child may take. The slowest child in the suite (a conversion of a corpus made to last several
    /// seconds, or a service test's server) ends in well under a minute on 2 loaded cores; three minutes is a hang.
    /// </summary>
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    // After the process is gone, its pipes close at once unless a grandchild that escaped the kill holds them.
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(10);

    /// <summary>Reads both redirected streams to their end and waits for the exit, at most <paramref name="limit"/>.</summary>
    /// <exception cref="TimeoutException">The process did not end in time; it was killed with its children.</exception>
    public static CliRunner.Outcome Finish(Process process, TimeSpan? limit = null)
    {
        var output = process.StartInfo.RedirectStandardOutput ? process.StandardOutput.ReadToEndAsync() : Task.FromResult("");
        var error = process.StartInfo.RedirectStandardError ? process.StandardError.ReadToEndAsync() : Task.FromResult("");
        var bound = limit ?? Limit;
        if (!process.WaitForExit(bound))
        {
            Kill(process);
            throw new TimeoutException($"{CommandLine(process)} did not end within {bound.TotalSeconds:0.#} s and was killed."
                + $"\n--- its stdout:\n{Printed(output)}\n--- its stderr:\n{Printed(error)}");
        }

        if (!Task.WaitAll([output, error], Drain))
        {
            throw new TimeoutException($"{CommandLine(process)} ended with {process.ExitCode}, but something it started still holds its output open");
        }

        return new CliRunner.Outcome(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Waits for the exit of a process whose streams the caller reads itself; kills it and throws when late.</summary>
    public static void WaitForExit(Process process, TimeSpan? limit = null)
    {
        var bound = limit ?? Limit;
        if (!process.WaitForExit(bound))
        {
            Kill(process);
            throw new TimeoutException($"{CommandLine(process)} did not end within {bound.TotalSeconds:0.#} s and was killed.");
        }
    }

    /// <summary>The ids of the running processes whose command line contains <paramref name="text"/> (a test's own folder).</summary>
    public static List<int> Naming(string text) =>
        [.. Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(name => char.IsAsciiDigit(name![0])).Where(name =>
        {
            try
            {
                return File.ReadAllText($"/proc/{name}/cmdline").Contains(text, StringComparison.Ordinal);
            }
            catch (IOException)
            {
                return false;
            }
        }).Select(name => int.Parse(name!, System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>
    /// Kills, with their children, the processes whose command line contains <paramref name="text"/>: what a failed test
    /// started and left running (one would outlive the test run and hold what the run's parent holds open, such as a
    /// build lock).
    /// </summary>
    public static void KillNaming(string text)
    {
        foreach (var id in Naming(text))
        {
            try
            {
                using var left = Process.GetProcessById(id);
                left.Kill(entireProcessTree: true);
                left.WaitForExit(Drain);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Ended in between.
            }
        }
    }

    /// <summary>The program and its arguments, as one line to paste into a shell.</summary>
    public static string CommandLine(Process process) =>
        string.Join(' ', new[] { process.StartInfo.FileName }.Concat(process.StartInfo.ArgumentList)
            .Select(word => word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,@+".Contains(c)) ? word : $"'{word.Replace("'", "'\\''")}'"));

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It ended in the meantime.
        }

        process.WaitForExit(Drain);
    }

    private static string Printed(Task<string> stream) =>
        stream.Wait(Drain) ? stream.Result : "(still held open by a child)";
}
