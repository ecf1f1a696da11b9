using System.Text.Json;
using Video2TfRecord.Conversion;
using Video2TfRecord.Storage;

namespace Video2TfRecord.Cli;

/// <summary>
/// <c>convert --json</c>: the run's summary as one JSON object on stdout instead of the text summary (the Python
/// package's result object reads it). Keys: <c>output</c>, <c>unit</c>, <c>complete</c>, <c>videos_total</c>,
/// <c>videos_written</c>, <c>skipped</c>, <c>failed</c>, <c>frames_written</c>, <c>bytes</c>, <c>seconds</c>,
/// <c>files</c> [{path, records, bytes}], <c>failures</c> [{path, full_path, clip, status, reason}], <c>input_notes</c>.
/// </summary>
internal static class ConvertSummary
{
    public static string Json(ConversionOptions options, ConversionResult result)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var skipped = result.Failures.Count(f => f.Status == VideoStatus.Skipped);
            writer.WriteStartObject();
            writer.WriteString("output", S3Location.IsS3(options.Output.Directory) ? options.Output.Directory : Path.GetFullPath(options.Output.Directory));
            writer.WriteString("unit", options.Clips.Enabled ? "clips" : "videos");
            writer.WriteBoolean("complete", result.Complete);
            writer.WriteNumber("videos_total", result.VideosTotal);
            writer.WriteNumber("videos_written", result.VideosWritten);
            writer.WriteNumber("skipped", skipped);
            writer.WriteNumber("failed", result.Failures.Count - skipped);
            writer.WriteNumber("frames_written", result.FramesWritten);
            writer.WriteNumber("bytes", result.Files.Sum(f => f.Bytes));
            writer.WriteNumber("seconds", Math.Round(result.Elapsed.TotalSeconds, 3));
            writer.WriteStartArray("files");
            foreach (var file in result.Files)
            {
                writer.WriteStartObject();
                writer.WriteString("path", file.Path);
                writer.WriteNumber("records", file.Records);
                writer.WriteNumber("bytes", file.Bytes);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("failures");
            foreach (var failure in result.Failures)
            {
                WriteFailure(writer, failure);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("input_notes");
            foreach (var note in result.InputNotes)
            {
                writer.WriteStringValue(note);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>One video (or clip) not written: {path, full_path, clip, status, reason}.</summary>
    public static void WriteFailure(Utf8JsonWriter writer, VideoFailure failure)
    {
        writer.WriteStartObject();
        writer.WriteString("path", failure.Path);
        writer.WriteString("full_path", failure.FullPath);
        writer.WriteString("clip", failure.ClipId);
        writer.WriteString("status", failure.Status == VideoStatus.Skipped ? "skipped" : "failed");
        writer.WriteString("reason", failure.Reason);
        writer.WriteEndObject();
    }
}
