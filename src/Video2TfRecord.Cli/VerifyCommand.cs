using System.CommandLine;
using System.Globalization;
using Video2TfRecord.Inspection;

namespace Video2TfRecord.Cli;

/// <summary><c>video2tfrecord verify</c>: every checksum and every image; exit 1 if anything is wrong.</summary>
internal static class VerifyCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var files = new Argument<string[]>("FILE") { Description = "Record files, or output folders", Arity = ArgumentArity.OneOrMore };
        var command = new Command("verify", "Check every checksum and decode every image with its declared shape; exit 1 if anything is wrong.") { files };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var failed = 0;
            foreach (var path in RecordFileInspector.ExpandPaths(parsed.GetRequiredValue(files)))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var result = RecordVerifier.Verify(path);
                foreach (var problem in result.Problems)
                {
                    await error.WriteLineAsync($"video2tfrecord: {problem}").ConfigureAwait(false);
                }

                var verdict = result.Ok ? "ok" : "FAILED";
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{verdict}: {path} ({result.Records} records, {result.Images} images decoded{(result.Ok ? "" : $", {result.Problems.Count} problems")})")).ConfigureAwait(false);
                failed += result.Ok ? 0 : 1;
            }

            return failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
