using Video2TfRecord.Conversion.Output;
using Video2TfRecord.Conversion.RunRecords;

namespace Video2TfRecord.Inspection;

/// <summary>
/// verify for one path: a record file is checked on its own (<see cref="RecordVerifier"/>); a folder's record files are
/// each checked, and a folder holding a manifest.json is also checked as a run against it (<see cref="RunVerifier"/>).
/// </summary>
public static class PathVerifier
{
    /// <summary>
    /// Verifies <paramref name="path"/>. Problems in the files and the run are collected in the result, not thrown. A
    /// folder with a manifest.json is checked as a run even when its record files are gone; a folder without one must hold
    /// record files.
    /// </summary>
    /// <param name="path">A record file, a folder of record files, or an output folder.</param>
    /// <param name="fileVerified">
    /// Called with each file's result as soon as that file is checked, before the next one is read, so a caller can report
    /// as it goes; optional.
    /// </param>
    /// <param name="cancellationToken">Checked before each file.</param>
    /// <exception cref="FileNotFoundException">The path does not exist, or a folder without manifest.json holds no record files.</exception>
    /// <exception cref="InvalidDataException">The folder's manifest.json is not one this tool wrote.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static PathVerification Verify(string path, Action<VerificationResult>? fileVerified = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var manifest = Directory.Exists(path) ? RunManifest.Read(path) : null;
        var paths = manifest is not null
            ? [.. Directory.EnumerateFiles(path).Where(f => OutputFolder.IsRecordFile(Path.GetFileName(f))).Order(StringComparer.Ordinal)]
            : RecordFileInspector.ExpandPaths([path]);
        var files = new List<VerificationResult>();
        foreach (var file in paths)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = RecordVerifier.Verify(file);
            files.Add(result);
            fileVerified?.Invoke(result);
        }

        var run = manifest is null
            ? null
            : new RunVerification(path, manifest.Complete, manifest.Files.Count, manifest.Shards, RunVerifier.Check(path, manifest, files));
        return new PathVerification(path, files, run);
    }
}
