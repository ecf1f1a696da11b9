using System.Security.Cryptography;
using System.Text;
using Video2TfRecord.Conversion.Inputs;

namespace Video2TfRecord.Conversion.RunRecords;

/// <summary>What <c>--resume</c> compares: the options a run was made with and the videos it was made of, as hashes.</summary>
/// <param name="Options">SHA-256 of the described options (<see cref="ConversionOptions.Describe"/>), one <c>key=value</c> line each.</param>
/// <param name="Catalog">The catalog's fingerprint: paths, sizes and modification times (<see cref="InputCatalog.Fingerprint"/>).</param>
internal sealed record RunFingerprints(string Options, string Catalog)
{
    /// <summary>The fingerprints of a run with these described options and this catalog.</summary>
    public static RunFingerprints Of(IReadOnlyDictionary<string, string> described, IReadOnlyList<CatalogEntry> catalog)
    {
        var text = string.Concat(described.Select(p => $"{p.Key}={p.Value}\n"));
        return new RunFingerprints(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), InputCatalog.Fingerprint(catalog));
    }
}
