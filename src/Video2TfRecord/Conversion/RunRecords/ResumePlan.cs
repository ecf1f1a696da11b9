using Video2TfRecord.Conversion.Inputs;
using Video2TfRecord.Conversion.Sharding;

namespace Video2TfRecord.Conversion.RunRecords;

/// <summary>
/// What <c>--resume</c> keeps of a previous run: the finished shards it may skip, and the record files of ours that
/// are incomplete or stale and are redone. Decided from the previous manifest and the folder's file names alone, after
/// checking that the previous run asked for the same output from the same videos.
/// </summary>
internal sealed class ResumePlan
{
    private ResumePlan(IReadOnlyDictionary<int, ManifestFile> kept, IReadOnlyList<string> stale)
    {
        Kept = kept;
        Stale = stale;
    }

    /// <summary>Nothing to keep: a run that starts from the beginning.</summary>
    public static ResumePlan Fresh { get; } = new(new Dictionary<int, ManifestFile>(), []);

    /// <summary>The finished shards to keep, by shard number.</summary>
    public IReadOnlyDictionary<int, ManifestFile> Kept { get; }

    /// <summary>Names of record files of ours in the folder that are not kept: they are deleted and written again.</summary>
    public IReadOnlyList<string> Stale { get; }

    /// <summary>Decides what a resumed run keeps.</summary>
    /// <param name="directory">The output folder, for messages.</param>
    /// <param name="previous">The previous run's manifest, or null when there is none.</param>
    /// <param name="manifestName">The manifest's name (<c>manifest.json</c> or a worker's part), for messages.</param>
    /// <param name="options">This run's described options (<see cref="ConversionOptions.Describe"/>).</param>
    /// <param name="catalogFingerprint">This run's catalog fingerprint (<see cref="InputCatalog.Fingerprint"/>).</param>
    /// <param name="plan">This run's shard plan: a kept file must have the name this run would give its shard.</param>
    /// <param name="recordFiles">The names of the record files of ours in the folder.</param>
    /// <param name="intact">Whether a listed file is on disk with the listed size and SHA-256.</param>
    /// <exception cref="OptionException">The folder holds records but no manifest, or the options or the videos differ.</exception>
    public static ResumePlan Decide(string directory, RunManifest? previous, string manifestName, IReadOnlyDictionary<string, string> options,
        string catalogFingerprint, ShardPlan plan, IReadOnlyCollection<string> recordFiles, Func<ManifestFile, bool> intact)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(recordFiles);
        ArgumentNullException.ThrowIfNull(intact);
        if (previous is null)
        {
            return recordFiles.Count == 0
                ? Fresh
                : throw new OptionException("resume", $"--resume: {directory} holds record files but no {manifestName}; give --overwrite to start again");
        }

        var changed = options.Keys.Union(previous.Options.Keys)
            .Where(k => !string.Equals(options.GetValueOrDefault(k), previous.Options.GetValueOrDefault(k), StringComparison.Ordinal))
            .Select(k => $"--{k} {previous.Options.GetValueOrDefault(k) ?? "(unset)"} → {options.GetValueOrDefault(k) ?? "(unset)"}")
            .ToList();
        if (changed.Count > 0)
        {
            throw new OptionException("resume", $"--resume: the options differ from the run in {directory}: {string.Join(", ", changed)}");
        }

        if (!string.Equals(previous.CatalogFingerprint, catalogFingerprint, StringComparison.Ordinal))
        {
            throw new OptionException("resume",
                $"--resume: the input videos differ from the run in {directory} (a video was added, removed or modified since); give --overwrite to start again");
        }

        var kept = new Dictionary<int, ManifestFile>();
        foreach (var file in previous.Files)
        {
            if (file.Shard < plan.ShardCount && string.Equals(file.Name, plan.FileName(file.Shard), StringComparison.Ordinal) && intact(file))
            {
                kept[file.Shard] = file;
            }
        }

        var keptNames = kept.Values.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        return new ResumePlan(kept, recordFiles.Where(name => !keptNames.Contains(name)).Order(StringComparer.Ordinal).ToList());
    }
}
