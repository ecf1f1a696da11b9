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
        var sheet = new Option<string>("--output", "-o") { Description = "The PNG to write", Required = true };
        var command = new Command("preview", "Draw one record's stored frames (and flow, colorized) into a PNG contact sheet, each labeled with its source frame index.")
        {
            file, record, sheet,
        };
        command.SetAction(async (parsed, _) =>
        {
            var recordNumber = parsed.GetValue(record);
            if (recordNumber < 0)
            {
                throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--record {recordNumber}: records are numbered from 0"));
            }

            var path = parsed.GetRequiredValue(sheet);
            var frames = ContactSheet.Write(parsed.GetRequiredValue(file), recordNumber, path);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{path}: {frames} frames of record {recordNumber}")).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
