using System.CommandLine;
using System.Globalization;
using Video2TfRecord.Inspection;

namespace Video2TfRecord.Cli;

/// <summary><c>video2tfrecord preview</c>: a PNG contact sheet of one record's stored frames.</summary>
internal static class PreviewCommand
{
    public static Command Create(TextWriter output)
    {
        var file = new Argument<string>("FILE") { Description = "A record file" };
        var record = new Option<long>("--record", "-r") { Description = "Which record, numbered from 0", DefaultValueFactory = _ => 0 };
        var sheet = new Option<string>("--output", "-o") { Description = "The sheet to write: a .png or .jpg file", Required = true };
        var maxTiles = new Option<int>("--max-tiles") { Description = "Draw at most this many frames, evenly chosen with the first and the last", DefaultValueFactory = _ => ContactSheet.DefaultMaxTiles };
        var command = new Command("preview", "Draw one record's stored frames (and flow, colorized) into a PNG or JPEG contact sheet, each labeled with its entry and source frame index.")
        {
            file, record, sheet, maxTiles,
        };
        var storage = new StorageCommandOptions();
        storage.AddTo(command);
        command.SetAction((parsed, cancellationToken) => RemoteArguments.RunAsync([parsed.GetRequiredValue(file)], storage.Build(parsed), output, TextWriter.Null,
            (remote, output, _) => DrawAsync(parsed, remote.Paths[0], output), cancellationToken));
        return command;

        async Task<int> DrawAsync(ParseResult parsed, string recordFile, TextWriter output)
        {
            var recordNumber = parsed.GetValue(record);
            if (recordNumber < 0)
            {
                throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--record {recordNumber}: records are numbered from 0"));
            }

            var most = parsed.GetValue(maxTiles);
            if (most < 1)
            {
                throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--max-tiles: expected at least 1, got {most}"));
            }

            var path = parsed.GetRequiredValue(sheet);
            var (drawn, stored) = ContactSheet.Write(recordFile, recordNumber, path, most);
            await output.WriteLineAsync(drawn == stored
                ? string.Create(CultureInfo.InvariantCulture, $"{path}: {drawn} frames of record {recordNumber}")
                : string.Create(CultureInfo.InvariantCulture, $"{path}: {drawn} of the {stored} frames of record {recordNumber}, evenly chosen (--max-tiles)")).ConfigureAwait(false);
            return ExitCodes.Success;
        }
    }
}
