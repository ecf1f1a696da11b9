using Video2TfRecord.Records;

namespace Video2TfRecord.Conversion.Pipeline;

/// <summary>One converted video: its record and the facts about the source that the manifest keeps.</summary>
/// <param name="Record">The record, images included.</param>
/// <param name="HeaderFrameCount">What the container header claimed (often wrong; kept for the manifest).</param>
/// <param name="DurationUs">Last frame's timestamp plus one frame period at the reported rate, µs.</param>
/// <param name="Warnings">Things a user should know about this video (for example a truncated stream).</param>
internal sealed record ProcessedVideo(VideoRecord Record, int HeaderFrameCount, long DurationUs, IReadOnlyList<string> Warnings);
