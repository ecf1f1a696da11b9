using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Conversion;

/// <summary>
/// videos.jsonl: one JSON line per catalogued video, in catalog order, streamed as the run goes (millions of videos
/// cost no memory). Written as <c>.videos.jsonl.partial</c> and renamed when the run completes; on resume the lines
/// of finished shards are copied over from the previous run's log.
/// </summary>
internal sealed class VideoLog : IDisposable
{
    public const string FileName = "videos.jsonl";

    private static readonly byte[] NewLine = "\n"u8.ToArray();

    // Non-ASCII names stay readable (and greppable) in the log; it is never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly string _directory;
    private readonly string _fileName;
    private readonly FileStream _output;
    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private readonly StreamReader? _previous;
    private string? _pendingPrevious;

    private VideoLog(string directory, string fileName, StreamReader? previous)
    {
        _directory = directory;
        _fileName = fileName;
        _previous = previous;
        _output = new FileStream(PartialPath(directory, fileName), FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
    }

    /// <summary>Starts the log; with <paramref name="resume"/> the previous run's log is kept aside to copy from.</summary>
    public static VideoLog Open(string directory, bool resume) => Open(directory, resume, FileName);

    /// <summary>Starts the log <paramref name="fileName"/> (a worker's part).</summary>
    public static VideoLog Open(string directory, bool resume, string fileName)
    {
        StreamReader? previous = null;
        if (resume)
        {
            var source = File.Exists(PartialPath(directory, fileName)) ? PartialPath(directory, fileName) : Path.Combine(directory, fileName);
            if (File.Exists(source))
            {
                var kept = Path.Combine(directory, "." + fileName + ".previous");
                File.Move(source, kept, overwrite: true);
                previous = new StreamReader(kept);
            }
        }

        return new VideoLog(directory, fileName, previous);
    }

    /// <summary>The log's path while a run writes it.</summary>
    public static string PartialPath(string directory, string fileName = FileName) => Path.Combine(directory, AtomicFile.TemporaryName(fileName));

    public void Write(VideoOutcome outcome, int shard, string? file, long? record)
    {
        _line.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(_line, WriterOptions))
        {
            var entry = outcome.Entry;
            var video = outcome.Video;
            json.WriteStartObject();
            json.WriteString("id", entry.Id);
            json.WriteString("path", entry.RelativePath);
            json.WriteString("source", entry.FullPath);
            json.WriteString("status", OptionWord.Of(outcome.Status));
            WriteStringOrNull(json, "reason", outcome.Reason);
            WriteNumberOrNull(json, "label_index", video?.Record.LabelIndex);
            WriteStringOrNull(json, "label_text", video?.Record.LabelText);
            WriteNumberOrNull(json, "frame_count", video?.Record.FrameCount);
            WriteNumberOrNull(json, "header_frame_count", video?.HeaderFrameCount);
            if (video is null)
            {
                json.WriteNull("fps");
            }
            else
            {
                json.WriteNumber("fps", Math.Round(video.Record.Fps, 6));
            }

            WriteNumberOrNull(json, "duration_us", video?.DurationUs);
            json.WriteStartArray("indices");
            foreach (var index in video?.Record.FrameIndices ?? [])
            {
                json.WriteNumberValue(index);
            }

            json.WriteEndArray();
            json.WriteStartArray("timestamps_us");
            foreach (var timestamp in video?.Record.TimestampsUs ?? [])
            {
                json.WriteNumberValue(timestamp);
            }

            json.WriteEndArray();
            json.WriteNumber("shard", shard);
            WriteStringOrNull(json, "file", file);
            WriteNumberOrNull(json, "record", record);
            json.WriteEndObject();
        }

        _output.Write(_line.WrittenSpan);
        _output.Write(NewLine);
    }

    /// <summary>
    /// Copies the previous run's lines of a finished shard and reports what they say. The previous log is in catalog
    /// order and shards are visited in order, so one forward pass serves every shard.
    /// </summary>
    public List<PreviousVideo> CopyShard(int shard)
    {
        var videos = new List<PreviousVideo>();
        while (NextPrevious() is { } line)
        {
            if (!TryParse(line, out var document))
            {
                // A line cut off by a kill or a full disk can only be the log's last, of a shard that did not finish.
                break;
            }

            using var _ = document;
            var root = document.RootElement;
            var lineShard = root.GetProperty("shard").GetInt32();
            if (lineShard > shard)
            {
                _pendingPrevious = line;
                break;
            }

            if (lineShard < shard)
            {
                continue;
            }

            _output.Write(System.Text.Encoding.UTF8.GetBytes(line));
            _output.Write(NewLine);
            var status = Enum.Parse<VideoStatus>(root.GetProperty("status").GetString()!, ignoreCase: true);
            videos.Add(new PreviousVideo(
                root.GetProperty("path").GetString()!,
                root.GetProperty("source").GetString()!,
                status,
                root.GetProperty("reason").GetString(),
                root.GetProperty("indices").GetArrayLength()));
        }

        return videos;
    }

    /// <summary>Makes everything written so far durable: called when a shard is finished, before the manifest names it.</summary>
    public void Flush() => _output.Flush(flushToDisk: true);

    /// <summary>Closes the log and gives it its final name.</summary>
    public void Complete()
    {
        Flush();
        _output.Dispose();
        _previous?.Dispose();
        File.Move(PartialPath(_directory, _fileName), Path.Combine(_directory, _fileName), overwrite: true);
        File.Delete(Path.Combine(_directory, "." + _fileName + ".previous"));
    }

    /// <summary>
    /// Closes the log. After <see cref="Complete"/> nothing is left to write; otherwise the run is stopping on an error
    /// or a signal, and only the lines of the unfinished shard are still buffered. --resume redoes that shard without
    /// them, so a flush that fails here (the disk is full) must not replace the error that stopped the run.
    /// </summary>
    public void Dispose()
    {
        try
        {
            _output.Dispose();
        }
        catch (IOException)
        {
            // The error that stopped the run is already on its way to the user; this one only repeats its cause.
        }
        finally
        {
            _previous?.Dispose();
        }
    }

    private static bool TryParse(string line, [NotNullWhen(true)] out JsonDocument? document)
    {
        try
        {
            document = JsonDocument.Parse(line);
            return true;
        }
        catch (JsonException)
        {
            document = null;
            return false;
        }
    }

    private string? NextPrevious()
    {
        if (_pendingPrevious is { } pending)
        {
            _pendingPrevious = null;
            return pending;
        }

        return _previous?.ReadLine();
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
