using Video2TfRecord.Conversion.RunRecords;
using Video2TfRecord.Conversion.Sharding;

namespace Video2TfRecord.Conversion.Output;

/// <summary>
/// Readies a run's output place before the first shard: refuses a previous run's folder unless <c>--overwrite</c> or
/// <c>--resume</c>, and with <c>--resume</c> decides which finished shards are kept (<see cref="ResumePlan"/>) and
/// deletes the stale ones.
/// </summary>
internal static class OutputPreparation
{
    /// <summary>Prepares <paramref name="place"/>; returns the shards a resumed run keeps, by number (none for a fresh run).</summary>
    /// <exception cref="OptionException">The folder holds a previous run without <c>--overwrite</c>/<c>--resume</c>, or the resumed run does not match.</exception>
    public static async Task<IReadOnlyDictionary<int, ManifestFile>> PrepareAsync(OutputPlace place, OutputOptions output, ShardPlan plan, IShardFormat format,
        IReadOnlyDictionary<string, string> described, RunFingerprints fingerprints, CancellationToken cancellationToken)
    {
        var worker = output.Worker;
        var manifestName = OutputFolder.ManifestName(worker);
        var logName = OutputFolder.LogName(worker);
        // A worker owns only its shards' files, its manifest and its log; the whole run owns every file of ours.
        var ownFiles = worker is null ? null : Enumerable.Range(0, plan.ShardCount).Where(worker.Owns)
            .SelectMany(s => format.FilesOf(plan.FileName(s)))
            .Append(manifestName).Append(logName)
            .ToHashSet(StringComparer.Ordinal);
        var ours = await place.PrepareAsync(output, ownFiles, manifestName, logName, cancellationToken).ConfigureAwait(false);
        if (!output.Resume)
        {
            return ResumePlan.Fresh.Kept;
        }

        var previous = RunManifest.Read(place.Directory, manifestName);
        var intact = new HashSet<ManifestFile>();
        foreach (var file in previous?.Files ?? [])
        {
            if (await place.IntactAsync(file, cancellationToken).ConfigureAwait(false))
            {
                intact.Add(file);
            }
        }

        var resume = ResumePlan.Decide(place.Name, previous, manifestName, described, fingerprints.Catalog, plan, ours, intact.Contains);
        await place.DeleteAsync(resume.Stale, cancellationToken).ConfigureAwait(false);
        return resume.Kept;
    }
}
