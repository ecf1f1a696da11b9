using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Video2TfRecord.Inspection;
using Video2TfRecord.Records;
using Video2TfRecord.Sampling;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Cli;

/// <summary><c>video2tfrecord inspect</c>: what is inside record files, as a table or as JSON.</summary>
internal static class InspectCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var files = new Argument<string[]>("FILE") { Description = "Record files, or output folders", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print JSON (stable keys, documented in docs/format.md)" };
        var command = new Command("inspect", "Show the records, keys, shapes, frame indices and labels inside record files.") { files, json };
        var storage = new StorageCommandOptions();
        storage.AddTo(command);
        command.SetAction((parsed, cancellationToken) => RemoteArguments.RunAsync(parsed.GetRequiredValue(files), storage.Build(parsed), output, error,
            (remote, output, error) => InspectAsync(remote.Paths, parsed.GetValue(json), output, error, cancellationToken), cancellationToken));
        return command;
    }

    private static async Task<int> InspectAsync(IReadOnlyList<string> paths, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var reports = new List<RecordFileInfo>();
        var failed = false;
        foreach (var path in RecordFileInspector.ExpandPaths(paths))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                reports.Add(RecordFileInspector.Inspect(path));
            }
            catch (Exception e) when (e is TfRecordFormatException or InvalidDataException or IOException or UnauthorizedAccessException)
            {
                // One bad file does not hide the others: it is named, the rest is shown, and the exit code says so.
                await error.WriteLineAsync($"video2tfrecord: {e.Message}").ConfigureAwait(false);
                failed = true;
            }
        }

        var runs = paths.Where(Directory.Exists).Select(RunReport.Read).OfType<RunReport>().ToList();
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new { files = reports, runs }, Json)).ConfigureAwait(false);
        }
        else
        {
            foreach (var report in reports)
            {
                await WriteTableAsync(output, report).ConfigureAwait(false);
            }

            foreach (var run in runs)
            {
                await WriteRunAsync(output, run).ConfigureAwait(false);
            }
        }

        return failed ? ExitCodes.Failure : ExitCodes.Success;
    }

    private static async Task WriteTableAsync(TextWriter output, RecordFileInfo file)
    {
        var c = CultureInfo.InvariantCulture;
        await output.WriteLineAsync(string.Create(c,
            $"{Escape(file.Path)}: {file.Records.Count} records, {OptionWord.Of(file.Compression)} compression, {file.FileBytes} bytes")).ConfigureAwait(false);
        // Clip, audio and caption columns appear when some record has them.
        var clips = file.Records.Any(r => r.ClipStartUs is not null);
        var audio = file.Records.Any(r => r.AudioSamples is not null);
        var captions = file.Records.Any(r => r.Caption is not null);
        var rows = new List<string[]>
        {
            new[] { "record", "offset", "bytes", "layout", "id", "label", "frames", "shape", "format" }
                .Concat(clips ? ["clip of", "window"] : []).Concat(audio ? ["audio"] : []).Append("indices").Concat(captions ? ["caption"] : []).ToArray(),
        };
        foreach (var r in file.Records)
        {
            string[] clip = clips ? [Escape(r.SourceId ?? "-"), r.ClipStartUs is { } start ? ClipWindow.Describe(start, r.ClipEndUs) : "-"] : [];
            string[] sound = audio ? [r.AudioSamples is { } n ? string.Create(c, $"{n / (double)r.AudioSampleRate!.Value:0.###} s ({n} x {r.AudioChannels} at {r.AudioSampleRate} Hz)") : "-"] : [];
            string[] caption = captions ? [r.Caption is { } text ? Escape(Shorten(text)) : "-"] : [];
            rows.Add(
            [
                r.Number.ToString(c), r.Offset.ToString(c), r.Bytes.ToString(c), OptionWord.Of(r.Layout), Escape(r.Id ?? "-"),
                Escape(r.LabelText is null && r.LabelIndex is null ? "-" : r.LabelText is null ? r.LabelIndex!.Value.ToString(c) : $"{r.LabelIndex?.ToString(c) ?? "?"}:{r.LabelText}"),
                r.Frames.ToString(c), string.Create(c, $"{r.Height}x{r.Width}x{r.Depth} {r.Dtype}"), r.Format ?? "-", .. clip, .. sound, Abbreviate(r.FrameIndices), .. caption,
            ]);
        }

        await WriteColumnsAsync(output, rows).ConfigureAwait(false);
        if (file.Records.Count > 0)
        {
            await output.WriteLineAsync("  keys of record 0:").ConfigureAwait(false);
            foreach (var key in CollapseBlobs(file.Records[0].Keys))
            {
                await output.WriteLineAsync($"    {key}").ConfigureAwait(false);
            }
        }
    }

    // A cell on one line: a newline or tab in a file name or label would break the table's rows and columns.
    internal static string Escape(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var escaped = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }

    private static async Task WriteRunAsync(TextWriter output, RunReport run)
    {
        var m = run.Manifest;
        var t = m.Totals;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{run.Folder}: run by video2tfrecord {m.ToolVersion}, {(m.Complete ? "complete" : "incomplete")}, {m.Files.Count} of {m.Shards} files; {t.Written} of {t.Videos} videos written, {t.Skipped} skipped, {t.Failed} failed, {t.Frames} frames")).ConfigureAwait(false);
        await output.WriteLineAsync("  options: " + string.Join(" ", m.Options.Where(o => o.Value.Length > 0).Select(o => $"--{o.Key} {o.Value}"))).ConfigureAwait(false);
        if (m.Decoder is { } decoder)
        {
            await output.WriteLineAsync($"  decoder: {m.Options.GetValueOrDefault("decoder", "?")} ({decoder})").ConfigureAwait(false);
        }
        foreach (var (split, totals) in t.Splits ?? (IReadOnlyDictionary<string, Conversion.RunRecords.ManifestTotals>)new Dictionary<string, Conversion.RunRecords.ManifestTotals>())
        {
            var files = m.Files.Count(f => f.Split == split);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  split {split}: {totals.Written} of {totals.Videos} written, {totals.Skipped} skipped, {totals.Failed} failed, {totals.Frames} frames, {files} files, {totals.Bytes} bytes")).ConfigureAwait(false);
        }

        foreach (var note in run.NotWritten)
        {
            await output.WriteLineAsync($"  not written: {Escape(note.Path)}: {Escape(note.Note)}").ConfigureAwait(false);
        }

        foreach (var note in run.HeaderMismatches)
        {
            await output.WriteLineAsync($"  frame count: {note.Path}: {note.Note}").ConfigureAwait(false);
        }
    }

    private static async Task WriteColumnsAsync(TextWriter output, List<string[]> rows)
    {
        var widths = new int[rows[0].Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (var row in rows)
        {
            var cells = row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]));
            await output.WriteLineAsync("  " + string.Join("  ", cells)).ConfigureAwait(false);
        }
    }

    // One line per record: a long caption is cut (inspect --json has it whole).
    private static string Shorten(string caption)
    {
        var line = caption.ReplaceLineEndings(" ");
        return line.Length <= 60 ? line : line[..59] + "…";
    }

    private static string Abbreviate(IReadOnlyList<long> indices) => indices.Count <= 10
        ? string.Join(",", indices)
        : string.Join(",", indices.Take(6)) + ",…," + string.Join(",", indices.Skip(indices.Count - 2));

    // blob/0 … blob/31 (and flow/x/…, flow/y/…) are one idea each: show each family as one line.
    private static IEnumerable<string> CollapseBlobs(IReadOnlyList<FeatureSummary> keys)
    {
        string[] families = [ExampleLayout.BlobPrefix, ExampleLayout.FlowXPrefix, ExampleLayout.FlowYPrefix];
        var numbered = keys.Where(k => !k.IsFeatureList && families.Any(f => IsNumbered(k.Key, f))).ToList();
        foreach (var family in families)
        {
            var count = numbered.Count(k => IsNumbered(k.Key, family));
            if (count > 0)
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"{family}0 … {family}{count - 1}  bytes  1 each ({count} keys)");
            }
        }

        foreach (var key in keys.Except(numbered))
        {
            var kind = key.IsFeatureList ? "feature list" : "feature";
            yield return string.Create(CultureInfo.InvariantCulture, $"{key.Key}  {key.Type}  {key.Count} ({kind})");
        }
    }

    private static bool IsNumbered(string key, string family) =>
        key.StartsWith(family, StringComparison.Ordinal) && key.Length > family.Length && key.AsSpan(family.Length).IndexOfAnyExceptInRange('0', '9') < 0;
}
