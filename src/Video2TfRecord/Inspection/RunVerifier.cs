using System.Globalization;
using Video2TfRecord.Conversion.RunRecords;

namespace Video2TfRecord.Inspection;

/// <summary>
/// Checks an output folder as a whole against its manifest.json: the run is complete, every listed file is there with
/// its size, SHA-256 and record count, and no record file is there that the manifest does not list.
/// </summary>
internal static class RunVerifier
{
    /// <summary>The problems of the run in <paramref name="folder"/>, each naming the file; empty when it matches its manifest.</summary>
    /// <param name="folder">The output folder.</param>
    /// <param name="manifest">Its manifest.json (<see cref="RunManifest.Read(string)"/>).</param>
    /// <param name="files">What verifying its record files found (their record counts are compared).</param>
    public static IReadOnlyList<string> Check(string folder, RunManifest manifest, IReadOnlyList<VerificationResult> files)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(files);
        var problems = new List<string>();
        if (!manifest.Complete)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"{folder}: the run is not complete: manifest.json lists {manifest.Files.Count} of {manifest.Shards} files (--resume continues it)"));
        }

        var counted = files.ToDictionary(f => Path.GetFileName(f.Path), StringComparer.Ordinal);
        foreach (var file in manifest.Files)
        {
            var path = Path.Combine(folder, file.Name);
            if (file.Mismatch(folder) is { } mismatch)
            {
                problems.Add($"{path}: {mismatch}");
            }
            else if (counted.TryGetValue(file.Name, out var result) && result.Ok && result.Records != file.Records)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{path}: {result.Records} records, but manifest.json says {file.Records}"));
            }
        }

        var listed = manifest.Files.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in counted.Keys.Where(name => !listed.Contains(name)).Order(StringComparer.Ordinal))
        {
            problems.Add($"{Path.Combine(folder, name)}: a record file manifest.json does not list");
        }

        return problems;
    }
}
