using System.Globalization;
using System.Security.Cryptography;

namespace Video2TfRecord.Conversion.RunRecords;

/// <summary>One finished record file in manifest.json.</summary>
/// <param name="Name">File name inside the output folder.</param>
/// <param name="Shard">0-based shard number.</param>
/// <param name="Records">Records it holds.</param>
/// <param name="Bytes">Size on disk.</param>
/// <param name="Sha256">SHA-256 of the file's bytes, lower-case hex.</param>
internal sealed record ManifestFile(string Name, int Shard, long Records, long Bytes, string Sha256)
{
    /// <summary>The split the file belongs to, when the run writes one file set per split; null otherwise.</summary>
    public string? Split { get; init; }

    /// <summary>
    /// How the file in <paramref name="directory"/> differs from this entry (missing, another size, other bytes), or
    /// null when it is the file the run wrote. Reads the whole file when the size matches.
    /// </summary>
    public string? Mismatch(string directory)
    {
        var info = new FileInfo(Path.Combine(directory, Name));
        if (!info.Exists)
        {
            return "listed in manifest.json but missing";
        }

        if (info.Length != Bytes)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{info.Length} bytes, but manifest.json says {Bytes}");
        }

        using var stream = info.OpenRead();
        return string.Equals(Convert.ToHexStringLower(SHA256.HashData(stream)), Sha256, StringComparison.Ordinal)
            ? null
            : "its SHA-256 differs from manifest.json's: the file was replaced or damaged";
    }
}
