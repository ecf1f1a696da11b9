using Video2TfRecord.Conversion.RunRecords;

namespace Video2TfRecord.Conversion.Output;

/// <summary>
/// Where a run's files end up, as the converter sees it: files are always written into a local <see cref="Directory"/>
/// first, and <see cref="PublishAsync"/> makes each finished one part of the output. For an output folder that is
/// the folder itself and publishing does nothing; for a bucket it is a staging folder and publishing uploads.
/// </summary>
internal abstract class OutputPlace
{
    /// <summary>Whether a finished shard's publishing takes long enough to overlap with writing the next (an upload).</summary>
    public virtual bool UploadsInBackground => false;

    /// <summary>The local folder files are written into.</summary>
    public abstract string Directory { get; }

    /// <summary>The output as the user named it, for messages and the summary: the folder, or <c>s3://bucket/prefix</c>.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Makes the output ready as <see cref="OutputFolder.Prepare(string, bool)"/> does: refuses a previous run unless resuming or
    /// overwriting (which deletes only this tool's files, or a worker's own), and on resume brings the previous
    /// manifest and video log into <see cref="Directory"/>.
    /// </summary>
    /// <returns>The names of the record files of ours already in the output.</returns>
    public abstract Task<IReadOnlyList<string>> PrepareAsync(OutputOptions output, IReadOnlySet<string>? ownFiles, string manifestName, string logName,
        CancellationToken cancellationToken);

    /// <summary>Whether a file a previous manifest lists is in the output with its listed size and SHA-256.</summary>
    public abstract Task<bool> IntactAsync(ManifestFile file, CancellationToken cancellationToken);

    /// <summary>Whether a file is in the output.</summary>
    public abstract Task<bool> ExistsAsync(string name, CancellationToken cancellationToken);

    /// <summary>Brings a file of the output into <see cref="Directory"/> (a folder has it there already).</summary>
    public abstract Task FetchAsync(string name, CancellationToken cancellationToken);

    /// <summary>Deletes files of the output.</summary>
    public abstract Task DeleteAsync(IReadOnlyList<string> names, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the finished file <paramref name="name"/> of <see cref="Directory"/> part of the output; with
    /// <paramref name="keepLocal"/> false its local copy may go (a staged shard), else it stays (the manifest, rewritten later).
    /// </summary>
    public abstract Task PublishAsync(string name, string? sha256, bool keepLocal, CancellationToken cancellationToken);

    /// <summary>
    /// Makes a checkpoint part of the output: the video log <paramref name="logName"/> as it stands (its temporary
    /// <c>.NAME.partial</c> until <paramref name="complete"/>, then the whole log) and then the manifest that lists what
    /// the log says. A folder has both already; a bucket gets them, at most every checkpoint interval but always at
    /// the end.
    /// </summary>
    /// <param name="manifestName">The manifest (or a worker's part).</param>
    /// <param name="logName">The video log (or a worker's part).</param>
    /// <param name="complete">Whether the run is complete: the whole log goes up, and always.</param>
    /// <param name="force">Upload now whatever the interval (an interrupted run's last checkpoint).</param>
    /// <param name="cancellationToken">Stops the upload.</param>
    public abstract Task PublishCheckpointAsync(string manifestName, string logName, bool complete, bool force, CancellationToken cancellationToken);

    /// <summary>Removes the local copy of a file the output holds (one <see cref="FetchAsync"/> brought); a folder keeps it.</summary>
    public abstract void Discard(string name);

    /// <summary>The output folder itself.</summary>
    public sealed class Folder(string directory) : OutputPlace
    {
        public override string Directory { get; } = directory;

        public override string Name => Directory;

        public override Task<IReadOnlyList<string>> PrepareAsync(OutputOptions output, IReadOnlySet<string>? ownFiles, string manifestName, string logName,
            CancellationToken cancellationToken)
        {
            if (ownFiles is not null)
            {
                OutputFolder.PrepareForWorker(Directory, output.Overwrite, output.Resume, ownFiles, logName);
            }
            else if (output.Resume)
            {
                OutputFolder.PrepareForResume(Directory);
            }
            else
            {
                OutputFolder.Prepare(Directory, output.Overwrite);
            }

            IReadOnlyList<string> records = System.IO.Directory.EnumerateFiles(Directory).Select(Path.GetFileName).OfType<string>()
                .Where(name => OutputFolder.IsRecordFile(name) && (ownFiles?.Contains(name) ?? true)).ToList();
            return Task.FromResult(records);
        }

        public override Task<bool> IntactAsync(ManifestFile file, CancellationToken cancellationToken) => Task.FromResult(file.Mismatch(Directory) is null);

        public override Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) => Task.FromResult(File.Exists(Path.Combine(Directory, name)));

        public override Task FetchAsync(string name, CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Discard(string name)
        {
        }

        public override Task PublishCheckpointAsync(string manifestName, string logName, bool complete, bool force, CancellationToken cancellationToken) =>
            Task.CompletedTask;

        public override Task DeleteAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
        {
            foreach (var name in names)
            {
                File.Delete(Path.Combine(Directory, name));
            }

            return Task.CompletedTask;
        }

        public override Task PublishAsync(string name, string? sha256, bool keepLocal, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
