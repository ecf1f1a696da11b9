using System.CommandLine;
using System.Runtime.InteropServices;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Cli;

/// <summary>
/// The command line: parses, calls the library, prints, and turns the outcome into an exit code. Writers are passed in
/// so tests can capture both streams.
/// </summary>
public static class CliApplication
{
    /// <summary>Runs one command line.</summary>
    /// <param name="args">The arguments after the program name.</param>
    /// <param name="output">Where the final summary and <c>--json</c> output go (stdout).</param>
    /// <param name="error">Where progress, warnings, skips and errors go (stderr).</param>
    /// <returns>The exit code (<see cref="ExitCodes"/>).</returns>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error) => RunAsync(args, output, error, errorIsTerminal: false);

    /// <summary>Runs the command line; <paramref name="errorIsTerminal"/> says whether <paramref name="error"/> is a terminal (live progress).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool errorIsTerminal)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var verbose = new Option<bool>("--verbose") { Description = "On an unexpected error, print the stack trace too", Recursive = true };
        var root = new RootCommand("video2tfrecord: turn folders of videos into TFRecord training data, and look inside the files.")
        {
            ConvertCommand.Create(output, error, errorIsTerminal),
            InspectCommand.Create(output, error),
            VerifyCommand.Create(output, error),
            IndexCommand.Create(output),
            PreviewCommand.Create(output),
            MergeManifestsCommand.Create(output),
            ServeCommand.Create(output),
            OptionsCommand.Create(output),
        };
        root.Options.Add(verbose);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync($"video2tfrecord: {ParseErrorText.Of(parseError.Message)}").ConfigureAwait(false);
            }

            var command = parsed.CommandResult.Command;
            var usage = ReferenceEquals(command, root) ? "video2tfrecord --help" : $"video2tfrecord {command.Name} --help";
            await error.WriteLineAsync($"Run '{usage}' for usage.").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        // Signals cancel the run instead of killing the process, so it can remove its partial file and keep the manifest.
        using var interrupt = new CancellationTokenSource();
        var signal = 0;
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, ExitCodes.Interrupted));
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, ExitCodes.Terminated));
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await parsed.InvokeAsync(configuration, interrupt.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (interrupt.IsCancellationRequested)
        {
            if (e is not InterruptionReportedException)
            {
                await error.WriteLineAsync("video2tfrecord: interrupted").ConfigureAwait(false);
            }

            return signal;
        }
        catch (Exception e) when (e is UsageException or OptionException or TfRecordFormatException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"video2tfrecord: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            await error.WriteLineAsync($"video2tfrecord: unexpected error: {e.Message}").ConfigureAwait(false);
            if (parsed.GetValue(verbose))
            {
                await error.WriteLineAsync(e.ToString()).ConfigureAwait(false);
            }

            return ExitCodes.Failure;
        }

        void Stop(PosixSignalContext context, int code)
        {
            context.Cancel = true;
            signal = code;
            interrupt.Cancel();
        }
    }
}
