namespace Video2TfRecord.Conversion;

/// <summary>One finished record file in manifest.json.</summary>
/// <param name="Name">File name inside the output folder.</param>
/// <param name="Shard">0-based shard number.</param>
/// <param name="Records">Records it holds.</param>
/// <param name="Bytes">Size on disk.</param>
/// <param name="Sha256">SHA-256 of the file's bytes, lower-case hex.</param>
public sealed record ManifestFile(string Name, int Shard, long Records, long Bytes, string Sha256);
