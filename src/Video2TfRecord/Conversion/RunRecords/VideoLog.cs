using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Video2TfRecord.Conversion.Run;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Conversion.RunRecords;

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
        var video = outcome.Video;
        var line = new VideoLogLine
        {
            Id = outcome.Entry.Id,
            Path = outcome.Entry.RelativePath,
            Source = outcome.Entry.FullPath,
            Status = OptionWord.Of(outcome.Status),
            Reason = outcome.Reason,
            LabelIndex = video?.Record.LabelIndex,
            LabelText = video?.Record.LabelText,
            FrameCount = video?.Record.FrameCount,
            HeaderFrameCount = video?.HeaderFrameCount,
            Fps = video is null ? null : Math.Round(video.Record.Fps, 6),
            DurationUs = video?.DurationUs,
            Indices = video?.Record.FrameIndices ?? [],
            TimestampsUs = video?.Record.TimestampsUs ?? [],
            Shard = shard,
            File = file,
            Record = record,
            SourceId = outcome.Entry.SourceId,
            ClipRow = outcome.Entry.Clip?.Line,
            ClipStartUs = video?.Record.Clip?.StartUs ?? outcome.Entry.Clip?.Window.StartUs,
            ClipEndUs = video?.Record.Clip?.EndUs ?? outcome.Entry.Clip?.Window.EndUs,
            Caption = video?.Record.Caption ?? outcome.Entry.Clip?.Caption,
            Split = outcome.Entry.Split,
            AudioSamples = video?.Record.Audio?.Frames,
            Warnings = outcome.Warnings,
        };
        _line.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(_line, WriterOptions))
        {
            JsonSerializer.Serialize(json, line, VideoLogJson.Default.VideoLogLine);
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
            VideoLogLine parsed;
            try
            {
                parsed = VideoLogLine.Parse(line);
            }
            catch (JsonException)
            {
                // A line cut off by a kill or a full disk can only be the log's last, of a shard that did not finish.
                break;
            }

            if (parsed.Shard > shard)
            {
                _pendingPrevious = line;
                break;
            }

            if (parsed.Shard < shard)
            {
                continue;
            }

            _output.Write(System.Text.Encoding.UTF8.GetBytes(line));
            _output.Write(NewLine);
            videos.Add(new PreviousVideo(parsed.Path, parsed.Source, parsed.StatusValue, parsed.Reason, parsed.Indices.Count, parsed.Split, parsed.SourceId is null ? null : parsed.Id));
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

    private string? NextPrevious()
    {
        if (_pendingPrevious is { } pending)
        {
            _pendingPrevious = null;
            return pending;
        }

        return _previous?.ReadLine();
    }
}
