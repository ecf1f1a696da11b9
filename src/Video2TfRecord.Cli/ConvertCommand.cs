using System.CommandLine;
using System.Globalization;
using Video2TfRecord.Conversion;
using Video2TfRecord.Conversion.Output;
using Video2TfRecord.Conversion.RunRecords;
using Video2TfRecord.Options;
using Video2TfRecord.Storage;

namespace Video2TfRecord.Cli;

/// <summary><c>video2tfrecord convert</c>: options in, <see cref="VideoConverter"/> called, summary out.</summary>
internal static class ConvertCommand
{
    public static Command Create(TextWriter output, TextWriter error, bool errorIsTerminal)
    {
        var (command, build, dryRun, quiet) = Define();
        var json = new Option<bool>("--json") { Description = "Print the summary as one JSON object (files, totals, videos not written and why)" };
        var progressFd = new Option<int?>("--progress-fd") { Description = "Write progress as JSON lines to this inherited descriptor", Hidden = true };
        command.Options.Add(json);
        command.Options.Add(progressFd);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var options = build(parsed);
            if (parsed.GetValue(dryRun))
            {
                await WritePlanAsync(output, options, await VideoConverter.PlanAsync(options, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            using var piped = parsed.GetValue(progressFd) is { } descriptor ? JsonProgress.Open(descriptor) : null;
            var live = piped is null && !parsed.GetValue(quiet) && errorIsTerminal;
            ConversionResult result;
            try
            {
                result = live
                    ? await LiveProgress.RunAsync(error, progress => VideoConverter.ConvertAsync(options, progress, cancellationToken)).ConfigureAwait(false)
                    : await VideoConverter.ConvertAsync(options, (IProgress<ConversionProgress>?)piped ?? new PlainProgress(error, parsed.GetValue(quiet)), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync(InterruptionNote(options.Output)).ConfigureAwait(false);
                throw new InterruptionReportedException("interrupted", e);
            }

            if (parsed.GetValue(json))
            {
                await output.WriteLineAsync(ConvertSummary.Json(options, result)).ConfigureAwait(false);
            }
            else
            {
                await WriteSummaryAsync(output, options, result).ConfigureAwait(false);
            }

            return result.Complete ? ExitCodes.Success : ExitCodes.SomeVideosNotWritten;
        });
        return command;
    }

    // Every option of convert, from the library's table, and how a parse becomes ConversionOptions.
    private static (Command Command, Func<ParseResult, ConversionOptions> Build, Option<bool> DryRun, Option<bool> Quiet) Define()
    {
        var inputs = new Argument<string[]>("INPUT") { Description = "Video files and folders (walked recursively)", Arity = ArgumentArity.ZeroOrMore };
        var options = new TableOptions(ConvertOptionTable.All);
        var command = new Command("convert", "Convert videos into TFRecord files: evenly spaced frames per video, one record per video.") { inputs };
        options.AddTo(command);
        ConversionOptions Build(ParseResult parsed) => ConvertOptionTable.Build(parsed.GetValue(inputs) ?? [], options.Words(parsed), OptionContext.Process);
        return (command, Build, options.Of(ConvertOptionTable.DryRun), options.Of(ConvertOptionTable.Quiet));
    }

    // What an interrupted run kept, from the manifest it last wrote (none before its first finished file).
    private static string InterruptionNote(OutputOptions output)
    {
        if (S3Location.IsS3(output.Directory))
        {
            // The staging folder is gone; what the bucket holds is what its manifest lists.
            return $"video2tfrecord: interrupted; the files finished so far are in {output.Directory} ({OutputFolder.ManifestName(output.Worker)} lists them); --resume continues the run";
        }

        RunManifest? manifest;
        try
        {
            manifest = RunManifest.Read(output.Directory, OutputFolder.ManifestName(output.Worker));
        }
        catch (InvalidDataException)
        {
            manifest = null;
        }

        return manifest is { Files.Count: > 0 } m
            ? string.Create(CultureInfo.InvariantCulture,
                $"video2tfrecord: interrupted; {m.Files.Count} of {m.Shards} files were finished and kept in {output.Directory} ({OutputFolder.ManifestName(output.Worker)} lists them); --resume continues the run")
            : $"video2tfrecord: interrupted before any file was finished; no record file was kept in {output.Directory}";
    }

    private static async Task WritePlanAsync(TextWriter output, ConversionOptions options, ConversionPlan plan)
    {
        var c = CultureInfo.InvariantCulture;
        var unit = options.Clips.Enabled ? "clips" : "videos";
        await output.WriteLineAsync(string.Create(c,
            $"plan: {plan.VideoCount} {unit} into {plan.Files.Count} files in {options.Output.Directory} ({plan.NotPlanned.Count} left out); nothing written (--dry-run)")).ConfigureAwait(false);
        foreach (var file in plan.Files)
        {
            await output.WriteLineAsync(string.Create(c, $"  {file.Name}  {file.Videos.Count} {unit}")).ConfigureAwait(false);
            foreach (var (video, label) in file.Videos)
            {
                var text = label is null ? "" : string.Create(c, $"  label {label.Index} {label.Text}");
                var clip = video.Clip is null ? "" : $"  clip {video.Id}";
                var split = video.Split is null ? "" : $"  split {video.Split}";
                await output.WriteLineAsync($"    {video.RelativePath}{clip}{split}{text}").ConfigureAwait(false);
            }
        }

        foreach (var (video, reason) in plan.NotPlanned)
        {
            await output.WriteLineAsync($"  left out: {(video.Clip is null ? video.RelativePath : video.Id)}: {reason}").ConfigureAwait(false);
        }
    }

    private static async Task WriteSummaryAsync(TextWriter output, ConversionOptions options, ConversionResult result)
    {
        var bytes = result.Files.Sum(f => f.Bytes);
        var folder = S3Location.IsS3(options.Output.Directory) ? options.Output.Directory : Path.GetFullPath(options.Output.Directory);
        var skipped = result.Failures.Count(f => f.Status == VideoStatus.Skipped);
        var seconds = Math.Max(result.Elapsed.TotalSeconds, 1e-3);
        var unit = options.Clips.Enabled ? "clips" : "videos";
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"converted {result.VideosWritten} of {result.VideosTotal} {unit} ({skipped} skipped, {result.Failures.Count - skipped} failed), {result.FramesWritten} frames, {bytes} bytes in {result.Files.Count} files, {result.Elapsed.TotalSeconds:0.0} s ({result.VideosWritten / seconds:0.0} {unit}/s, {result.FramesWritten / seconds:0} frames/s):")).ConfigureAwait(false);
        foreach (var file in result.Files)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {file.Path}  {file.Records} records  {file.Bytes} bytes")).ConfigureAwait(false);
        }

        if (result.Failures.Count > 0)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"not written ({result.Failures.Count}):")).ConfigureAwait(false);
            foreach (var failure in result.Failures)
            {
                var status = failure.Status == VideoStatus.Skipped ? "skipped" : "failed";
                await output.WriteLineAsync($"  {status} {failure.Name}: {failure.Reason}").ConfigureAwait(false);
            }
        }

        foreach (var note in result.InputNotes)
        {
            await output.WriteLineAsync($"inputs: {note}").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"output folder: {folder}").ConfigureAwait(false);
    }
}
