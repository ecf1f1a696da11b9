using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using Video2TfRecord.Conversion;

namespace Video2TfRecord.Cli;

/// <summary>
/// Progress as JSON lines on an inherited file descriptor (<c>convert --progress-fd N</c>), for a front end that draws
/// its own bar (the Python package): <c>{"done":1,"total":3,"frames":8,"fraction":0.33,"source_frames":40}</c> per
/// report, <c>{"notice":"…"}</c> for a warning, and <c>"failure"</c> with the video's path, status and reason when one is
/// not written. Each line is flushed as it is written; a reader that went away is ignored (the run goes on).
/// </summary>
internal sealed class JsonProgress : IProgress<ConversionProgress>, IDisposable
{
    private readonly Stream _stream;
    private readonly Lock _gate = new();
    private bool _broken;

    private JsonProgress(Stream stream) => _stream = stream;

    /// <summary>Opens descriptor <paramref name="descriptor"/>, which the parent process passed open for writing.</summary>
    /// <exception cref="UsageException">It is not an open, writable descriptor.</exception>
    public static JsonProgress Open(int descriptor)
    {
        if (descriptor < 3)
        {
            throw new UsageException($"--progress-fd: expected an inherited descriptor from 3, got {descriptor}");
        }

        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        try
        {
            return new JsonProgress(new FileStream(handle, FileAccess.Write, bufferSize: 0));
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            handle.Dispose();
            throw new UsageException($"--progress-fd: descriptor {descriptor} is not open for writing ({e.Message})");
        }
    }

    public void Report(ConversionProgress value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (value.Notice is { } notice)
            {
                writer.WriteString("notice", notice);
            }

            writer.WriteNumber("done", value.VideosDone);
            writer.WriteNumber("total", value.VideosTotal);
            writer.WriteNumber("frames", value.FramesDone);
            writer.WriteNumber("fraction", Math.Round(value.Fraction, 4));
            writer.WriteNumber("source_frames", value.SourceFrames);
            if (value.Failure is { } failure)
            {
                writer.WritePropertyName("failure");
                ConvertSummary.WriteFailure(writer, failure);
            }

            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        lock (_gate)
        {
            if (_broken)
            {
                return;
            }

            try
            {
                _stream.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
            }
            catch (IOException)
            {
                // The reader closed its end: progress is a courtesy, the run and its summary go on.
                _broken = true;
            }
        }
    }

    public void Dispose()
    {
        try
        {
            _stream.Dispose();
        }
        catch (IOException)
        {
            // Closing a pipe whose reader is gone.
        }
    }
}
