using Video2TfRecord.Conversion.Output;

namespace Video2TfRecord.Conversion;

/// <summary>What a finished run wrote and what it could not.</summary>
/// <param name="Files">Every planned record file, in shard order.</param>
/// <param name="VideosTotal">Videos in the catalog.</param>
/// <param name="VideosWritten">Videos written as records.</param>
/// <param name="FramesWritten">Frames stored over all records.</param>
/// <param name="Failures">Videos not written, in catalog order, with the reason.</param>
/// <param name="Elapsed">Wall-clock time of the run.</param>
public sealed record ConversionResult(
    IReadOnlyList<OutputFile> Files,
    int VideosTotal,
    int VideosWritten,
    long FramesWritten,
    IReadOnlyList<VideoFailure> Failures,
    TimeSpan Elapsed)
{
    /// <summary>What walking the inputs did that a user should know (symlinked folders followed, loops not).</summary>
    public IReadOnlyList<string> InputNotes { get; init; } = [];

    /// <summary>Whether every catalogued video was written.</summary>
    public bool Complete => Failures.Count == 0;
}
