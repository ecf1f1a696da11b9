using Video2TfRecord.Conversion.Output;
using Video2TfRecord.Conversion.RunRecords;
using Video2TfRecord.Storage;

namespace Video2TfRecord.Conversion.Remote;

/// <summary>
/// <c>merge-manifests s3://bucket/prefix</c>: the workers' parts are downloaded into a folder of the work folder,
/// merged there (<see cref="ManifestMerger"/>), and replaced by the uploaded videos.jsonl and manifest.json (the log
/// first, so a manifest that says complete always has its log).
/// </summary>
internal static class BucketMerge
{
    /// <summary>Merges the worker parts under <paramref name="output"/>.</summary>
    /// <exception cref="OptionException">The URL is malformed, or as <see cref="ManifestMerger.Merge(string)"/>.</exception>
    /// <exception cref="StorageException">The bucket cannot be listed, read or written.</exception>
    public static async Task<RunManifest> MergeAsync(string output, StorageOptions storage, CancellationToken cancellationToken)
    {
        var prefix = S3Location.Parse(output, "input", "merge-manifests").AsFolder();

        using var store = storage.Connect();
        var folder = Path.Combine(storage.CreateWorkDirectory(), StorageOptions.ProcessFolderName(StorageOptions.MergeFolderPrefix));
        Directory.CreateDirectory(folder);
        try
        {
            var parts = (await store.ListAsync(prefix, recursive: false, cancellationToken).ConfigureAwait(false))
                .Where(o => OutputFolder.IsWorkerPart(o.Location.Name)).ToList();
            foreach (var part in parts)
            {
                await store.DownloadAsync(part.Location, Path.Combine(folder, part.Location.Name), cancellationToken).ConfigureAwait(false);
            }

            var merged = ManifestMerger.Merge(folder, prefix.ToString(), prefix.ToString());
            await store.UploadAsync(Path.Combine(folder, VideoLog.FileName), prefix.Child(VideoLog.FileName), null, cancellationToken).ConfigureAwait(false);
            await store.UploadAsync(Path.Combine(folder, RunManifest.FileName), prefix.Child(RunManifest.FileName), null, cancellationToken).ConfigureAwait(false);
            await store.DeleteAsync(parts.Select(p => p.Location), cancellationToken).ConfigureAwait(false);
            return merged;
        }
        finally
        {
            StorageOptions.DeleteFolder(folder);
        }
    }
}
