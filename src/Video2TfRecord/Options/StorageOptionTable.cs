using Video2TfRecord.Storage;

namespace Video2TfRecord.Options;

/// <summary>The options of every command that reads or writes <c>s3://</c> paths: their rows, and the settings they give.</summary>
public static class StorageOptionTable
{
    /// <summary><c>--s3-endpoint</c>.</summary>
    public static OptionDefinition<string?> Endpoint { get; } = OptionDefinition.Text("s3-endpoint",
        "Endpoint of an S3-compatible store other than AWS (MinIO, Ceph, R2, GCS); default AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL");

    /// <summary><c>--s3-path-style</c>.</summary>
    public static OptionDefinition<bool> PathStyle { get; } = OptionDefinition.Flag("s3-path-style",
        "Path-style bucket addressing (endpoint/bucket/key), which MinIO-like stores need");

    /// <summary><c>--s3-region</c>.</summary>
    public static OptionDefinition<string?> Region { get; } = OptionDefinition.Text("s3-region",
        "Region of the bucket (default AWS_REGION, AWS_DEFAULT_REGION, the profile's, or us-east-1)");

    /// <summary><c>--s3-retries</c>.</summary>
    public static OptionDefinition<int> Retries { get; } = OptionDefinition.Int32("s3-retries",
        "Retries of a request that failed for a transient cause (network, 5xx, throttling), with exponential backoff", StorageOptions.DefaultRetries,
        StorageOptions.RetriesRange);

    /// <summary><c>--s3-part-size</c> (MiB).</summary>
    public static OptionDefinition<int> PartSize { get; } = OptionDefinition.Int32("s3-part-size",
        "MiB per part of a multipart upload; larger files are uploaded in parts", (int)(StorageOptions.DefaultPartBytes >> 20),
        StorageOptions.PartSizeRange);

    /// <summary><c>--s3-checkpoint</c> (seconds).</summary>
    public static OptionDefinition<int> Checkpoint { get; } = OptionDefinition.Int32("s3-checkpoint",
        "Seconds at least between two uploads of the manifest and video log to an s3:// output (0: after every file); resume redoes what came after the last",
        StorageOptions.DefaultCheckpointSeconds, StorageOptions.CheckpointRange);

    /// <summary><c>--work-dir</c>.</summary>
    public static OptionDefinition<string?> WorkDirectory { get; } = OptionDefinition.Text("work-dir",
        "Local folder for staged output files and downloaded s3:// videos (default: the system's temporary folder)");

    /// <summary><c>--cache-size</c> (MiB).</summary>
    public static OptionDefinition<long> CacheSize { get; } = OptionDefinition.Int64("cache-size",
        "MiB of downloaded s3:// videos kept on local disk (videos being converted are kept whatever their size)", StorageOptions.DefaultCacheBytes >> 20,
        StorageOptions.CacheSizeRange);

    /// <summary>Every row, in the order help lists them.</summary>
    public static IReadOnlyList<OptionDefinition> All { get; } = [Endpoint, PathStyle, Region, Retries, PartSize, Checkpoint, WorkDirectory, CacheSize];

    /// <summary>The storage settings <paramref name="words"/> give.</summary>
    /// <exception cref="OptionException">A word is refused.</exception>
    public static StorageOptions Build(OptionWords words) => new()
    {
        Endpoint = Endpoint.ValueIn(words),
        PathStyle = PathStyle.ValueIn(words),
        Region = Region.ValueIn(words),
        Retries = Retries.ValueIn(words),
        PartBytes = (long)PartSize.ValueIn(words) << 20,
        CheckpointInterval = TimeSpan.FromSeconds(Checkpoint.ValueIn(words)),
        WorkDirectory = WorkDirectory.ValueIn(words),
        CacheBytes = CacheSize.ValueIn(words) << 20,
    };
}
