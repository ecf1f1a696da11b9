using System.Text.Json;
using System.Text.Json.Serialization;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Conversion.RunRecords;

/// <summary>
/// manifest.json: what a run was asked to do and which files it finished. Rewritten atomically after every finished
/// shard, so it is what <c>--resume</c> trusts.
/// </summary>
internal sealed record RunManifest
{
    /// <summary>The manifest's file name in the output folder.</summary>
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Version of the tool that wrote the run.</summary>
    public required string ToolVersion { get; init; }

    /// <summary>The decoder libraries and their versions (the backend itself is <c>options.decoder</c>); null in manifests of older versions.</summary>
    public string? Decoder { get; init; }

    /// <summary>
    /// The <c>s3://bucket/prefix</c> the run wrote to, or null for a folder (then not written). merge-manifests refuses
    /// parts of one run that wrote to different places.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Output { get; init; }

    /// <summary>Every option that shapes the output, by its command-line name without dashes.</summary>
    public required IReadOnlyDictionary<string, string> Options { get; init; }

    /// <summary>SHA-256 over <see cref="Options"/>: equal fingerprints mean the same output.</summary>
    public required string OptionsFingerprint { get; init; }

    /// <summary>SHA-256 over the catalog's relative paths, sizes and modification times.</summary>
    public required string CatalogFingerprint { get; init; }

    /// <summary>Number of planned shards.</summary>
    public required int Shards { get; init; }

    /// <summary>Finished record files, in shard order.</summary>
    public required IReadOnlyList<ManifestFile> Files { get; init; }

    /// <summary>Counts so far (or final, when <see cref="Complete"/>).</summary>
    public required ManifestTotals Totals { get; init; }

    /// <summary>Whether every shard is finished.</summary>
    public required bool Complete { get; init; }

    /// <summary>Reads the manifest of <paramref name="directory"/>, or returns <see langword="null"/> when there is none.</summary>
    /// <exception cref="OptionException">The file exists but is not a manifest this tool wrote.</exception>
    public static RunManifest? Read(string directory) => Read(directory, FileName);

    /// <summary>Reads the manifest <paramref name="fileName"/> (a worker's part) of <paramref name="directory"/>, or null.</summary>
    /// <exception cref="OptionException">The file exists but is not a manifest this tool wrote.</exception>
    public static RunManifest? Read(string directory, string fileName)
    {
        var path = Path.Combine(directory, fileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<RunManifest>(File.ReadAllBytes(path), Json)
                ?? throw new InvalidDataException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a manifest written by video2tfrecord ({e.Message})", e);
        }
    }

    /// <summary>Writes the manifest under a temporary name and renames it, so readers never see half of it.</summary>
    public void Write(string directory) => Write(directory, FileName);

    /// <summary>Writes the manifest as <paramref name="fileName"/> (a worker's part), atomically.</summary>
    public void Write(string directory, string fileName)
    {
        AtomicFile.WriteAllBytes(Path.Combine(directory, fileName), JsonSerializer.SerializeToUtf8Bytes(this, Json));
    }
}
