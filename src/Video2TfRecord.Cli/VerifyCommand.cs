using System.CommandLine;
using System.Globalization;
using Video2TfRecord.Conversion;
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
            (remote, output, error) => VerifyAsync(remote.Paths, output, error, cancellationToken), cancellationToken));
        return command;
    }

    private static async Task<int> VerifyAsync(IReadOnlyList<string> arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var failed = 0;
        foreach (var argument in arguments)
        {
            // A folder with a manifest is checked as a run even when its record files are gone.
            var manifest = Directory.Exists(argument) ? RunManifest.Read(argument) : null;
            var paths = manifest is not null
                ? [.. Directory.EnumerateFiles(argument).Where(f => OutputFolder.IsRecordFile(Path.GetFileName(f))).Order(StringComparer.Ordinal)]
                : RecordFileInspector.ExpandPaths([argument]);
            var results = new List<VerificationResult>();
            foreach (var path in paths)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var result = RecordVerifier.Verify(path);
                results.Add(result);
                failed += await ReportAsync(output, error, path, result.Problems, string.Create(CultureInfo.InvariantCulture,
                    $"{result.Records} records, {result.Images} images decoded")).ConfigureAwait(false);
            }

            if (manifest is not null)
            {
                failed += await ReportAsync(output, error, argument, RunVerifier.Check(argument, manifest, results), string.Create(CultureInfo.InvariantCulture,
                    $"run {(manifest.Complete ? "complete" : "incomplete")}, {manifest.Files.Count} of {manifest.Shards} files checked against manifest.json")).ConfigureAwait(false);
            }
        }

        return failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    // One "ok:" or "FAILED:" line on stdout, each problem on stderr; 1 when there were problems.
    private static async Task<int> ReportAsync(TextWriter output, TextWriter error, string path, IReadOnlyList<string> problems, string counts)
    {
        foreach (var problem in problems)
        {
            await error.WriteLineAsync($"video2tfrecord: {problem}").ConfigureAwait(false);
        }

        var verdict = problems.Count == 0 ? "ok" : "FAILED";
        var detail = problems.Count == 0 ? counts : string.Create(CultureInfo.InvariantCulture, $"{counts}, {problems.Count} problems");
        await output.WriteLineAsync($"{verdict}: {path} ({detail})").ConfigureAwait(false);
        return problems.Count == 0 ? 0 : 1;
    }
}
