namespace Video2TfRecord.Conversion.Output;

/// <summary>A finished record file.</summary>
/// <param name="Path">Absolute path of the file.</param>
/// <param name="Records">Records it holds.</param>
/// <param name="Bytes">Its size on disk.</param>
public sealed record OutputFile(string Path, long Records, long Bytes);
