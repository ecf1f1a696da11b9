using System.CommandLine;
using System.Globalization;
using Video2TfRecord.Inspection;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Cli;

/// <summary><c>video2tfrecord index</c>: writes <c>FILE.idx</c> (DALI <c>tfrecord2idx</c> / PyTorch tfrecord format) beside each file.</summary>
internal static class IndexCommand
{
    public static Command Create(TextWriter output)
    {
        var files = new Argument<string[]>("FILE") { Description = "Uncompressed record files, or output folders", Arity = ArgumentArity.OneOrMore };
        var command = new Command("index", "Write FILE.idx beside each record file: one 'offset length' line per record, as NVIDIA DALI and the PyTorch tfrecord package read.") { files };
        var storage = new StorageCommandOptions();
        storage.AddTo(command);
        command.SetAction((parsed, cancellationToken) => RemoteArguments.RunAsync(parsed.GetRequiredValue(files), storage.Build(parsed), output, TextWriter.Null,
            async (remote, output, _) =>
            {
                foreach (var path in RecordFileInspector.ExpandPaths(remote.Paths))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var records = TfRecordIndex.Write(path);
                    // Beside the record object too, when the file is a copy of one.
                    await remote.PublishAsync(TfRecordIndex.PathFor(path), cancellationToken).ConfigureAwait(false);
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{TfRecordIndex.PathFor(path)}: {records} records")).ConfigureAwait(false);
                }

                return ExitCodes.Success;
            }, cancellationToken));
        return command;
    }
}
