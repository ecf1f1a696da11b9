namespace Video2TfRecord.Records;

/// <summary>Where a clip's record was cut from: the source video and the window, in µs from its first frame.</summary>
/// <param name="SourceId">The id of the video the clip is cut from.</param>
/// <param name="StartUs">The window's start, µs.</param>
/// <param name="EndUs">The window's end, µs, exclusive.</param>
public sealed record RecordClip(string SourceId, long StartUs, long EndUs);
