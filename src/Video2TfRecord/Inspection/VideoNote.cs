namespace Video2TfRecord.Inspection;

/// <summary>One video and something worth knowing about it.</summary>
/// <param name="Path">The video's relative path.</param>
/// <param name="Note">What is worth knowing, in words.</param>
internal sealed record VideoNote(string Path, string Note);
