using System.CommandLine;
using Video2TfRecord.Storage;

namespace Video2TfRecord.Cli;

/// <summary>The options of every command that reads or writes <c>s3://</c> paths (convert, merge-manifests), defined once.</summary>
internal sealed class StorageCommandOptions
{
    private readonly Option<string?> _endpoint = new("--s3-endpoint") { Description = "Endpoint of an S3-compatible store other than AWS (MinIO, Ceph, R2, GCS); default AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL" };
    private readonly Option<bool> _pathStyle = new("--s3-path-style") { Description = "Path-style bucket addressing (endpoint/bucket/key), which MinIO-like stores need" };
    private readonly Option<string?> _region = new("--s3-region") { Description = "Region of the bucket (default AWS_REGION, AWS_DEFAULT_REGION, the profile's, or us-east-1)" };
    private readonly Option<int> _retries = new("--s3-retries") { Description = "Retries of a request that failed for a transient cause (network, 5xx, throttling), with exponential backoff", DefaultValueFactory = _ => StorageOptions.DefaultRetries };
    private readonly Option<int> _partSize = new("--s3-part-size") { Description = "MiB per part of a multipart upload; larger files are uploaded in parts", DefaultValueFactory = _ => (int)(StorageOptions.DefaultPartBytes >> 20) };
    private readonly Option<int> _checkpoint = new("--s3-checkpoint") { Description = "Seconds at least between two uploads of the manifest and video log to an s3:// output (0: after every file); resume redoes what came after the last", DefaultValueFactory = _ => StorageOptions.DefaultCheckpointSeconds };
    private readonly Option<string?> _workDir = new("--work-dir") { Description = "Local folder for staged output files and downloaded s3:// videos (default: the system's temporary folder)" };
    private readonly Option<long> _cacheSize = new("--cache-size") { Description = "MiB of downloaded s3:// videos kept on local disk (videos being converted are kept whatever their size)", DefaultValueFactory = _ => StorageOptions.DefaultCacheBytes >> 20 };

    /// <summary>The options, to add to a command.</summary>
    public IReadOnlyList<Option> All => [_endpoint, _pathStyle, _region, _retries, _partSize, _checkpoint, _workDir, _cacheSize];

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The storage settings a parse gives.</summary>
    public StorageOptions Build(ParseResult parsed) => new()
    {
        Endpoint = parsed.GetValue(_endpoint),
        PathStyle = parsed.GetValue(_pathStyle),
        Region = parsed.GetValue(_region),
        Retries = parsed.GetValue(_retries),
        PartBytes = (long)parsed.GetValue(_partSize) << 20,
        CheckpointInterval = TimeSpan.FromSeconds(parsed.GetValue(_checkpoint)),
        WorkDirectory = parsed.GetValue(_workDir),
        CacheBytes = parsed.GetValue(_cacheSize) << 20,
    };
}
