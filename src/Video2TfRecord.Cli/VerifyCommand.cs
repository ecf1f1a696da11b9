using System.CommandLine;
using System.Globalization;
using Video2TfRecord.Inspection;

namespace Video2TfRecord.Cli;

/// <summary>
/// <c>video2tfrecord verify</c>: every checksum and every image, and for an output folder the run against its
/// manifest.json; exit 1 if anything is wrong.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var files = new Argument<string[]>("FILE") { Description = "Record files, or output folders", Arity = ArgumentArity.OneOrMore };
        var command = new Command("verify",
            "Check every checksum and decode every image with its declared shape; for an output folder also check that the run is complete and every file is the one manifest.json lists; exit 1 if anything is wrong.")
        { files };
        var storage = new StorageCommandOptions();
        storage.AddTo(command);
        command.SetAction((parsed, cancellationToken) => RemoteArguments.RunAsync(parsed.GetRequiredValue(files), storage.Build(parsed), output, error,
            (remote, output, error) => Task.FromResult(Verify(remote.Paths, output, error, cancellationToken)), cancellationToken));
        return command;
    }

    private static int Verify(IReadOnlyList<string> arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var failed = 0;
        foreach (var argument in arguments)
        {
            // Each file is reported as soon as it is checked.
            var verification = PathVerifier.Verify(argument, file => failed += Report(output, error, file.Path, file.Problems, string.Create(CultureInfo.InvariantCulture,
                $"{file.Records} records, {file.Images} images decoded")), cancellationToken);
            if (verification.Run is { } run)
            {
                failed += Report(output, error, argument, run.Problems, string.Create(CultureInfo.InvariantCulture,
                    $"run {(run.Complete ? "complete" : "incomplete")}, {run.ListedFiles} of {run.Shards} files checked against manifest.json"));
            }
        }

        return failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    // One "ok:" or "FAILED:" line on stdout, each problem on stderr; 1 when there were problems.
    private static int Report(TextWriter output, TextWriter error, string path, IReadOnlyList<string> problems, string counts)
    {
        foreach (var problem in problems)
        {
            error.WriteLine($"video2tfrecord: {problem}");
        }

        var verdict = problems.Count == 0 ? "ok" : "FAILED";
        var detail = problems.Count == 0 ? counts : string.Create(CultureInfo.InvariantCulture, $"{counts}, {problems.Count} problems");
        output.WriteLine($"{verdict}: {path} ({detail})");
        return problems.Count == 0 ? 0 : 1;
    }
}
