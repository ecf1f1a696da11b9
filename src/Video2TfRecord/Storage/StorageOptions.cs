using System.Globalization;
using Video2TfRecord.Options;

namespace Video2TfRecord.Storage;

/// <summary>
/// How <c>s3://</c> inputs and outputs are reached, and where they are staged on the local disk. None of it shapes the
/// records: a run gives the same bytes from a bucket as from a folder.
/// </summary>
public sealed record StorageOptions
{
    /// <summary>S3's smallest part of a multipart upload (but the last): 5 MiB.</summary>
    public const long MinPartBytes = 5L << 20;

    /// <summary>S3's largest part: 5 GiB.</summary>
    public const long MaxPartBytes = 5L << 30;

    /// <summary>Part size when nothing else is asked for: 16 MiB. A file up to one part is uploaded with one request.</summary>
    public const long DefaultPartBytes = 16L << 20;

    /// <summary>Local cache for downloaded videos when nothing else is asked for: 4 GiB.</summary>
    public const long DefaultCacheBytes = 4L << 30;

    /// <summary>Attempts after the first when nothing else is asked for.</summary>
    public const int DefaultRetries = 4;

    /// <summary>The retries <c>--s3-retries</c> takes.</summary>
    public static NumberRange RetriesRange { get; } = new(0, 20, Whole: true);

    /// <summary>The part sizes <c>--s3-part-size</c> takes, in MiB: S3's part limits.</summary>
    public static NumberRange PartSizeRange { get; } = new(MinPartBytes >> 20, MaxPartBytes >> 20, Whole: true, "MiB");

    /// <summary>The intervals <c>--s3-checkpoint</c> takes, in seconds (up to a day).</summary>
    public static NumberRange CheckpointRange { get; } = new(0, 86_400, Whole: true, "seconds");

    /// <summary>The cache sizes <c>--cache-size</c> takes, in MiB (up to 1 PiB, so the byte count fits 64 bits).</summary>
    public static NumberRange CacheSizeRange { get; } = new(0, 1L << 30, Whole: true, "MiB");

    /// <summary>The endpoint of a store other than AWS (MinIO, Ceph RGW, R2, GCS): <c>--s3-endpoint</c>, else <c>AWS_ENDPOINT_URL_S3</c> or <c>AWS_ENDPOINT_URL</c>.</summary>
    public string? Endpoint { get; init; }

    /// <summary>Path-style addressing (<c>endpoint/bucket/key</c>) rather than virtual hosts (<c>bucket.endpoint/key</c>).</summary>
    public bool PathStyle { get; init; }

    /// <summary>The region; else <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, the profile, or <c>us-east-1</c>.</summary>
    public string? Region { get; init; }

    /// <summary>How often a request that failed for a transient cause (network, 5xx, throttling) is tried again.</summary>
    public int Retries { get; init; } = DefaultRetries;

    /// <summary>The wait before the first retry; each later one waits twice as long, with jitter.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The size of one part of a multipart upload, which is also the size above which uploads are multipart.</summary>
    public long PartBytes { get; init; } = DefaultPartBytes;

    /// <summary>
    /// The least time between two checkpoints of a bucket output (video log and manifest uploaded). A checkpoint also
    /// waits nine times as long as the last one took to upload, so that uploading a large log stays under a tenth of
    /// the run. Zero: after every shard, with no wait at all.
    /// </summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(DefaultCheckpointSeconds);

    /// <summary>Seconds between checkpoints when nothing else is asked for.</summary>
    public const int DefaultCheckpointSeconds = 10;

    /// <summary>Keys per listing request (S3's most: 1000); smaller in tests, so that a few objects take several pages.</summary>
    internal int ListPageSize { get; init; } = 1000;

    /// <summary>Local folder for staged output files and downloaded videos; null: a folder under the system's temporary folder.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>How many bytes of downloaded videos the cache keeps; videos being converted are kept whatever their size.</summary>
    public long CacheBytes { get; init; } = DefaultCacheBytes;

    /// <summary>The work folder this run uses: <see cref="WorkDirectory"/>, or <c>$TMPDIR/video2tfrecord-UID</c>.</summary>
    public string ResolvedWorkDirectory => Path.GetFullPath(WorkDirectory ?? Path.Combine(Path.GetTempPath(), "video2tfrecord-" + Environment.UserName));

    /// <summary>
    /// Creates <see cref="ResolvedWorkDirectory"/> when it is missing, private to the user (0700: staged records and
    /// downloaded videos are the user's data), and returns it.
    /// </summary>
    internal string CreateWorkDirectory()
    {
        var work = ResolvedWorkDirectory;
        if (!Directory.Exists(work))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(work);
            }
            else
            {
                Directory.CreateDirectory(work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        ReclaimAbandoned(work);
        return work;
    }

    /// <summary>
    /// A name for a folder of this process in the work folder: <paramref name="prefix"/>, the process id, <c>@</c>, the
    /// machine's name, a dash and a random part. Only the machine itself reclaims it, once the process is gone (a work
    /// folder on a shared file system is seen by other machines' processes too).
    /// </summary>
    internal static string ProcessFolderName(string prefix) =>
        $"{prefix}{Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)}@{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..12]}";

    /// <summary>A run's folder in the work folder: <see cref="ProcessFolderName"/> with this prefix.</summary>
    internal const string RunFolderPrefix = "run-";

    /// <summary>The folder of copies that inspect, verify, index and preview read, as <see cref="RunFolderPrefix"/>.</summary>
    internal const string ReadFolderPrefix = "read-";

    /// <summary>The folder of a merge-manifests of a bucket, as <see cref="RunFolderPrefix"/>.</summary>
    internal const string MergeFolderPrefix = "merge-";

    /// <summary>
    /// Deletes a folder of the work folder with everything in it, as far as it can: a file another process still holds
    /// (or a folder another run is reclaiming at the same time) is left for later.
    /// </summary>
    internal static void DeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a later run on the machine reclaims what is left.
        }
    }

    // Folders of the work folder whose process is gone (killed, preempted): their staged shards and copies are deleted.
    private static void ReclaimAbandoned(string work)
    {
        foreach (var folder in Directory.EnumerateDirectories(work))
        {
            var name = Path.GetFileName(folder);
            var prefix = new[] { RunFolderPrefix, ReadFolderPrefix, MergeFolderPrefix }.FirstOrDefault(p => name.StartsWith(p, StringComparison.Ordinal));
            var at = name.IndexOf('@', StringComparison.Ordinal);
            if (prefix is not null && at > prefix.Length
                && int.TryParse(name[prefix.Length..at], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
                && name[(at + 1)..].StartsWith(Environment.MachineName + "-", StringComparison.Ordinal) && !Directory.Exists($"/proc/{pid}"))
            {
                DeleteFolder(folder);
            }
        }
    }

    /// <summary>
    /// Checks every value (<see cref="Validate"/>) and connects to the store they describe; no request is made yet. The
    /// one place a store is made: a run, merge-manifests and the readers of <c>s3://</c> arguments all come here.
    /// </summary>
    /// <returns>The store, owned by the caller (dispose it).</returns>
    /// <exception cref="OptionException">A value is out of range.</exception>
    internal ObjectStore Connect()
    {
        Validate();
        return new ObjectStore(this);
    }

    /// <summary>Checks every value.</summary>
    /// <exception cref="OptionException">A value is out of range.</exception>
    public void Validate()
    {
        if (Endpoint is not null && (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            throw new OptionException("s3-endpoint", $"--s3-endpoint: expected an http:// or https:// URL, got '{Endpoint}'");
        }

        if (Retries is < 0 or > 20)
        {
            throw new OptionException("s3-retries", string.Create(CultureInfo.InvariantCulture, $"--s3-retries: expected 0 to 20, got {Retries}"));
        }

        if (PartBytes is < MinPartBytes or > MaxPartBytes)
        {
            throw new OptionException("s3-part-size", string.Create(CultureInfo.InvariantCulture,
                $"--s3-part-size: expected 5 to 5120 MiB (S3's part limits), got {PartBytes / (1 << 20)} MiB"));
        }

        if (CheckpointInterval < TimeSpan.Zero)
        {
            throw new OptionException("s3-checkpoint", "--s3-checkpoint: expected 0 or more seconds");
        }

        if (CacheBytes < 0)
        {
            throw new OptionException("cache-size", "--cache-size: expected 0 or more MiB");
        }
    }
}
