using System.CommandLine;
using System.Globalization;
using Video2TfRecord.Conversion.RunRecords;
using Video2TfRecord.Storage;

namespace Video2TfRecord.Cli;

/// <summary><c>video2tfrecord merge-manifests DIR</c>: joins the manifests and video logs of a run split over workers.</summary>
internal static class MergeManifestsCommand
{
    public static Command Create(TextWriter output)
    {
        var folder = new Argument<string>("DIR") { Description = "The output folder the workers wrote into, or their s3://bucket/prefix" };
        var storage = new StorageCommandOptions();
        var command = new Command("merge-manifests", "Join the manifest-worker-I-of-K.json and videos-worker-I-of-K.jsonl parts of finished workers into manifest.json and videos.jsonl.")
        {
            folder,
        };
        storage.AddTo(command);

        command.SetAction(async (parsed, cancellationToken) =>
        {
            var directory = parsed.GetRequiredValue(folder);
            var merged = await ManifestMerger.MergeAsync(directory, storage.Build(parsed), cancellationToken).ConfigureAwait(false);
            var t = merged.Totals;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"merged: {merged.Files.Count} files, {t.Written} of {t.Videos} videos written ({t.Skipped} skipped, {t.Failed} failed) into {(S3Location.IsS3(directory) ? S3Location.Parse(directory).Child(RunManifest.FileName) : Path.Combine(directory, RunManifest.FileName))}")).ConfigureAwait(false);
            return t.Written == t.Videos ? ExitCodes.Success : ExitCodes.SomeVideosNotWritten;
        });
        return command;
    }
}
