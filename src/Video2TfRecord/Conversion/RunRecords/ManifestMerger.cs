using System.Globalization;
using System.Text;
using Video2TfRecord.Conversion.Remote;
using Video2TfRecord.Conversion.Sharding;
using Video2TfRecord.Storage;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Conversion.RunRecords;

/// <summary>
/// <c>merge-manifests DIR</c>: joins the parts K workers wrote (<c>manifest-worker-I-of-K.json</c>,
/// <c>videos-worker-I-of-K.jsonl</c>) into the <c>manifest.json</c> and <c>videos.jsonl</c> one process would have
/// written, then removes the parts. Refuses, naming them, while a worker is missing or unfinished.
/// </summary>
internal static class ManifestMerger
{
    /// <summary>Merges the worker parts in <paramref name="directory"/>.</summary>
    /// <returns>The merged manifest, also written as <c>manifest.json</c>.</returns>
    /// <exception cref="OptionException">No parts, parts of different runs, or a worker missing or unfinished.</exception>
    public static RunManifest Merge(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            throw new OptionException("input", $"merge-manifests: {directory} is not a folder");
        }

        return Merge(directory, directory, null);
    }

    /// <summary>
    /// Merges the worker parts in <paramref name="output"/>: a folder as <see cref="Merge(string)"/> does, or an
    /// <c>s3://bucket/prefix</c>, whose parts are downloaded, merged, and replaced by the uploaded manifest.json and
    /// videos.jsonl (the log first, so a manifest that says complete always has its log).
    /// </summary>
    /// <exception cref="OptionException">As <see cref="Merge(string)"/>.</exception>
    /// <exception cref="StorageException">The bucket cannot be listed, read or written.</exception>
    public static async Task<RunManifest> MergeAsync(string output, StorageOptions storage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(storage);
        return RunStorage.IsRemote(output) ? await BucketMerge.MergeAsync(output, storage, cancellationToken).ConfigureAwait(false) : Merge(output);
    }

    /// <summary>The merge itself, on a local folder.</summary>
    /// <param name="directory">The folder holding the parts; the merged files are written into it.</param>
    /// <param name="name">What messages call the folder (a bucket's prefix, when the folder holds its parts).</param>
    /// <param name="output">Where the merged run is (the merged manifest's <c>output</c>): null for a folder.</param>
    internal static RunManifest Merge(string directory, string name, string? output)
    {
        var parts = new List<WorkerSlice>();
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            if (WorkerSlice.ManifestNames.Matches(Path.GetFileName(path), out var index, out var workers))
            {
                parts.Add(new WorkerSlice(index, workers));
            }
        }

        parts.Sort((a, b) => a.Index.CompareTo(b.Index));
        if (parts.Count == 0)
        {
            throw new OptionException("input", $"merge-manifests: no worker manifests (manifest-worker-I-of-K.json) in {name}");
        }

        var count = parts[0].Count;
        if (parts.Any(w => w.Count != count))
        {
            throw new OptionException("input", $"merge-manifests: {name} holds parts of runs with different worker counts ({string.Join(", ", parts.Select(w => w.Count).Distinct())})");
        }

        var missing = Enumerable.Range(0, count).Except(parts.Select(w => w.Index)).ToList();
        if (missing.Count > 0)
        {
            throw new OptionException("input", string.Create(CultureInfo.InvariantCulture,
                $"merge-manifests: worker {string.Join(", ", missing)} of {count} has written no manifest in {name}; run it (--worker-index I --worker-count {count})"));
        }

        var manifests = parts.Select(w => RunManifest.Read(directory, w.ManifestName)!).ToList();
        var unfinished = parts.Where((_, i) => !manifests[i].Complete).Select(w => w.Index).ToList();
        if (unfinished.Count > 0)
        {
            throw new OptionException("input", string.Create(CultureInfo.InvariantCulture,
                $"merge-manifests: worker {string.Join(", ", unfinished)} of {count} did not finish; run it again with --resume"));
        }

        // The parts must agree with each other; where they are merged may differ (a folder's run copied to a bucket).
        var elsewhere = parts.Select((w, i) => (w, m: manifests[i])).Where(p => !string.Equals(p.m.Output, manifests[0].Output, StringComparison.Ordinal)).ToList();
        if (elsewhere.Count > 0)
        {
            var (w, m) = elsewhere[0];
            throw new OptionException("input", string.Create(CultureInfo.InvariantCulture,
                $"merge-manifests: worker {w.Index} of {count} wrote its files to {m.Output ?? "a local folder"}, worker {parts[0].Index} to {manifests[0].Output ?? "a local folder"}: every worker of a run must write to the same output"));
        }

        var first = manifests[0];
        if (manifests.Any(m => m.OptionsFingerprint != first.OptionsFingerprint || m.CatalogFingerprint != first.CatalogFingerprint || m.Shards != first.Shards))
        {
            throw new OptionException("input", $"merge-manifests: the workers in {name} ran with different options or videos; run them again with the same command line");
        }

        var merged = first with
        {
            Output = output,
            Files = manifests.SelectMany(m => m.Files).OrderBy(f => f.Shard).ToList(),
            Totals = manifests.Select(m => m.Totals).Aggregate((a, b) => a.Add(b)),
            Complete = true,
        };
        MergeLogs(directory, name, parts.Select(w => Path.Combine(directory, w.LogName)).ToList());
        merged.Write(directory);
        foreach (var worker in parts)
        {
            File.Delete(Path.Combine(directory, worker.ManifestName));
            File.Delete(Path.Combine(directory, worker.LogName));
        }

        return merged;
    }

    // Each worker's log is in catalog order over its shards, and shards cover the catalog in order: a merge by shard
    // number, one line at a time from each log, gives the whole run's catalog order without holding the logs in memory.
    private static void MergeLogs(string directory, string name, List<string> logs)
    {
        var missing = logs.Where(log => !File.Exists(log)).Select(Path.GetFileName).ToList();
        if (missing.Count > 0)
        {
            throw new OptionException("input", $"merge-manifests: {string.Join(", ", missing)} missing in {name}");
        }

        var readers = logs.Select(log => new StreamReader(log, Encoding.UTF8)).ToList();
        try
        {
            AtomicFile.Write(Path.Combine(directory, VideoLog.FileName), stream =>
            {
                using var output = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n" };
                var heads = readers.Select(Next).ToList();
                while (heads.Any(h => h is not null))
                {
                    var pick = heads.Select((h, i) => (h, i)).Where(p => p.h is not null).MinBy(p => p.h!.Value.Shard).i;
                    output.WriteLine(heads[pick]!.Value.Line);
                    heads[pick] = Next(readers[pick]);
                }
            });
        }
        finally
        {
            foreach (var reader in readers)
            {
                reader.Dispose();
            }
        }
    }

    private static (string Line, int Shard)? Next(StreamReader reader)
    {
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                return (line, VideoLogLine.Parse(line).Shard);
            }
        }

        return null;
    }
}
