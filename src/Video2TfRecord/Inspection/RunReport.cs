using System.Text.Json;
using Video2TfRecord.Conversion.RunRecords;

namespace Video2TfRecord.Inspection;

/// <summary>What an output folder's manifest.json and videos.jsonl say about the run that wrote it.</summary>
/// <param name="Folder">The output folder.</param>
/// <param name="Manifest">The manifest.</param>
/// <param name="NotWritten">Videos skipped or failed, with their reasons, in catalog order.</param>
/// <param name="HeaderMismatches">Videos whose container header claimed another frame count than the stream holds (once per video, however many clips it has).</param>
internal sealed record RunReport(string Folder, RunManifest Manifest, IReadOnlyList<VideoNote> NotWritten, IReadOnlyList<VideoNote> HeaderMismatches)
{
    /// <summary>Reads the report of <paramref name="folder"/>, or <see langword="null"/> when it holds no manifest.</summary>
    /// <exception cref="OptionException">The manifest or the video log is not this tool's.</exception>
    public static RunReport? Read(string folder)
    {
        var manifest = RunManifest.Read(folder);
        if (manifest is null)
        {
            return null;
        }

        var notWritten = new List<VideoNote>();
        var mismatches = new List<VideoNote>();
        var mismatched = new HashSet<string>(StringComparer.Ordinal);
        var log = Path.Combine(folder, VideoLog.FileName);
        if (File.Exists(log))
        {
            foreach (var (line, number) in File.ReadLines(log).Select((l, i) => (l, i + 1)))
            {
                try
                {
                    var video = VideoLogLine.Parse(line);
                    if (video.Status != "ok")
                    {
                        notWritten.Add(new VideoNote(video.SourceId is null ? video.Path : $"{video.Path} (clip {video.Id})", $"{video.Status}: {video.Reason}"));
                    }
                    else if (video.HeaderFrameCount != video.FrameCount && mismatched.Add(video.Path))
                    {
                        mismatches.Add(new VideoNote(video.Path, $"header says {video.HeaderFrameCount} frames, the stream holds {video.FrameCount}"));
                    }
                }
                catch (JsonException e)
                {
                    throw new InvalidDataException($"{log}: line {number} is not a video line written by video2tfrecord ({e.Message})", e);
                }
            }
        }

        return new RunReport(folder, manifest, notWritten, mismatches);
    }
}
