using Video2TfRecord.Conversion.Annotations;
using Video2TfRecord.Conversion.RunRecords;
using Video2TfRecord.Conversion.Sharding;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Conversion.Output;

/// <summary>The folder a run writes to: checked, created, and cleared of a previous run only when asked.</summary>
internal static class OutputFolder
{
    /// <summary>
    /// Whether <paramref name="fileName"/> is a record file this tool writes: <c>x-00001-of-00004.tfrecord[.gz|.zz]</c>, or
    /// with <c>--layout tfds</c> <c>x-train.tfrecord-00001-of-00004</c>.
    /// </summary>
    public static bool IsRecordFile(string fileName) => TfRecordShardFormat.IsShardFile(fileName);

    /// <summary>Whether <paramref name="fileName"/> is the <c>.idx</c> index of a record file this tool writes.</summary>
    public static bool IsIndexFile(string fileName) =>
        fileName.EndsWith(".idx", StringComparison.Ordinal) && IsRecordFile(fileName[..^4]);

    /// <summary>
    /// Makes the folder ready: creates it, refuses one that holds a previous run unless <paramref name="overwrite"/>
    /// (then deletes only this tool's files), removes stray temporary files, and checks that it can be written.
    /// </summary>
    /// <exception cref="OptionException">The path is a file, cannot be created or written, or holds a previous run.</exception>
    public static void Prepare(string directory, bool overwrite) => Prepare(directory, overwrite, resume: false);

    /// <summary>
    /// Makes the folder ready to continue a run: creates it if needed and removes stray temporary record files, but
    /// keeps finished files, the manifest and the previous video log, which the caller compares and reuses.
    /// </summary>
    /// <exception cref="OptionException">The path is a file or cannot be written.</exception>
    public static void PrepareForResume(string directory) => Prepare(directory, overwrite: false, resume: true);

    /// <summary>
    /// Makes the folder ready for one worker of several: only <paramref name="ownFiles"/> (its shards, their indexes,
    /// its manifest and log) count as its previous run, are deleted by <paramref name="overwrite"/>, and have stray
    /// temporary files removed; other workers' files, finished or being written, are left alone.
    /// </summary>
    /// <exception cref="OptionException">The path is a file or cannot be written, or the worker's files are there already.</exception>
    public static void PrepareForWorker(string directory, bool overwrite, bool resume, IReadOnlySet<string> ownFiles, string logName) =>
        Prepare(directory, overwrite, resume, ownFiles, logName);

    /// <summary>The manifest a process writes: <c>manifest.json</c>, or <paramref name="worker"/>'s part.</summary>
    public static string ManifestName(WorkerSlice? worker) => worker?.ManifestName ?? RunManifest.FileName;

    /// <summary>The video log a process writes: <c>videos.jsonl</c>, or <paramref name="worker"/>'s part.</summary>
    public static string LogName(WorkerSlice? worker) => worker?.LogName ?? VideoLog.FileName;

    /// <summary>Whether <paramref name="fileName"/> is a worker's manifest or video log part.</summary>
    public static bool IsWorkerPart(string fileName) =>
        WorkerSlice.ManifestNames.Matches(fileName, out _, out _) || WorkerSlice.LogNames.Matches(fileName, out _, out _);

    /// <summary>
    /// Whether <paramref name="fileName"/> is a file this tool writes into an output folder: records, indexes, manifests,
    /// video logs, labels.json and TFDS metadata. Only these are deleted by <c>--overwrite</c>.
    /// </summary>
    public static bool IsOurs(string fileName) =>
        IsRecordFile(fileName) || IsIndexFile(fileName) || IsWorkerPart(fileName)
        || fileName is RunManifest.FileName or VideoLog.FileName or LabelTable.FileName || TfdsDataset.IsMetadataFile(fileName);

    /// <summary>Creates the folder if needed.</summary>
    /// <exception cref="OptionException">The path is a file.</exception>
    /// <exception cref="IOException">The folder cannot be created (the cause inside).</exception>
    /// <exception cref="UnauthorizedAccessException">The folder cannot be created: permission denied.</exception>
    public static void Create(string directory)
    {
        if (File.Exists(directory))
        {
            throw new OptionException("output", $"output folder {directory} is a file; give a folder");
        }

        Guard(directory, () => Directory.CreateDirectory(directory));
    }

    private static void Prepare(string directory, bool overwrite, bool resume, IReadOnlySet<string>? only = null, string logName = VideoLog.FileName)
    {
        Create(directory);
        Guard(directory, () =>
        {
            var ours = Directory.EnumerateFiles(directory)
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(name => only?.Contains(name) ?? IsOurs(name))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (ours.Count > 0 && !overwrite && !resume)
            {
                throw PreviousRun($"output folder {directory}", ours);
            }

            if (overwrite)
            {
                foreach (var name in ours)
                {
                    File.Delete(Path.Combine(directory, name));
                }
            }

            var strays = Directory.EnumerateFiles(directory, ".*" + AtomicFile.TemporarySuffix)
                .Where(path => only is null || only.Contains(Path.GetFileName(path)[1..^AtomicFile.TemporarySuffix.Length]))
                .ToList();
            foreach (var stray in strays)
            {
                // On resume the previous video log is still needed: VideoLog moves it aside itself.
                if (!resume || !string.Equals(stray, VideoLog.PartialPath(directory, logName), StringComparison.Ordinal))
                {
                    File.Delete(stray);
                }
            }

            var probe = Path.Combine(directory, $".write-test-{Environment.ProcessId}{AtomicFile.TemporarySuffix}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        });
    }

    /// <summary>The refusal of an output (<paramref name="place"/>: "output folder DIR", or a bucket's prefix) that holds files of a previous run.</summary>
    internal static OptionException PreviousRun(string place, IReadOnlyList<string> ours) => new("output",
        $"{place} already holds a previous run ({string.Join(", ", ours.Take(3))}{(ours.Count > 3 ? ", …" : "")}); give --overwrite to replace it, --resume to continue it, or another folder");

    // File-system failures in the folder as one line naming it.
    private static void Guard(string directory, Action action)
    {
        try
        {
            action();
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"output folder {directory} is not writable: permission denied", e);
        }
        catch (IOException e)
        {
            throw new IOException($"output folder {directory} cannot be used: {e.Message}", e);
        }
    }
}
