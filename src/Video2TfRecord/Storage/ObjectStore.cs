using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Polly;
using Polly.Retry;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Storage;

/// <summary>
/// An S3-compatible store (AWS, MinIO, Ceph RGW, R2, GCS interop) as a run uses it: list a prefix, read an object to
/// a file, write a file to an object, delete. Every request is retried with exponential backoff and jitter while its
/// cause is transient (network, 5xx, throttling); what still fails is a <see cref="StorageException"/> naming the
/// location and the cause.
/// </summary>
/// <remarks>
/// <para>Credentials come from the SDK's standard chain: environment variables, the shared profile, web identity
/// (Kubernetes service accounts), container and instance roles.</para>
/// <para>An object appears under its name only when its upload is complete: S3 creates an object when its PUT, or the
/// completion of its multipart upload, succeeds; a failed multipart upload is aborted, so nothing is left under the
/// name. The SDK's own retries are off so that one policy decides them all.</para>
/// </remarks>
internal sealed class ObjectStore : IDisposable
{
    /// <summary>The metadata key the SHA-256 of an uploaded file is stored under (<c>x-amz-meta-sha256</c>).</summary>
    public const string Sha256Metadata = "sha256";

    private readonly AmazonS3Client _client;
    private readonly ResiliencePipeline _retry;
    private readonly StorageOptions _options;

    // Made by StorageOptions.Connect only: one place decides how a store is reached.
    internal ObjectStore(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        var endpoint = options.Endpoint ?? Variable("AWS_ENDPOINT_URL_S3") ?? Variable("AWS_ENDPOINT_URL");
        var region = options.Region ?? Variable("AWS_REGION") ?? Variable("AWS_DEFAULT_REGION");
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.PathStyle,
            MaxErrorRetry = 0,
            // Checksums only where S3 requires them: trailing checksums need aws-chunked bodies, which not every compatible
            // store reads. Integrity comes from the SHA-256 this tool computes and records for every file it writes.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = region ?? "us-east-1";
        }
        else if (region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        _client = Connect(config);
        _retry = options.Retries == 0 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            // A cancellation nobody asked for is a timeout (HttpClient's, the SDK's): worth another try.
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e
                && (IsTransient(e) || (e is OperationCanceledException && !args.Context.CancellationToken.IsCancellationRequested))),
            MaxRetryAttempts = options.Retries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryDelay,
        }).Build();
    }

    // A variable set empty (a CI template's missing secret) is not set: the next in line decides.
    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    // Without a region given, the SDK's own chain decides (the profile's, the instance's); where it finds none, us-east-1,
    // where S3 answers for every bucket's name.
    private static AmazonS3Client Connect(AmazonS3Config config)
    {
        try
        {
            return new AmazonS3Client(config);
        }
        catch (AmazonClientException) when (config.RegionEndpoint is null && config.ServiceURL is null)
        {
            config.RegionEndpoint = RegionEndpoint.USEast1;
            return new AmazonS3Client(config);
        }
    }

    /// <summary>The objects under <paramref name="prefix"/>, in key order; with <paramref name="recursive"/> false, only those directly in it.</summary>
    /// <exception cref="StorageException">The bucket does not exist, access is denied, or the store cannot be reached.</exception>
    public async Task<IReadOnlyList<StoredObject>> ListAsync(S3Location prefix, bool recursive, CancellationToken cancellationToken)
    {
        var objects = new List<StoredObject>();
        string? token = null;
        do
        {
            var request = new ListObjectsV2Request
            {
                BucketName = prefix.Bucket,
                Prefix = prefix.Key,
                Delimiter = recursive ? null : "/",
                ContinuationToken = token,
                MaxKeys = _options.ListPageSize,
            };
            var response = await Run(prefix, ct => _client.ListObjectsV2Async(request, ct), cancellationToken).ConfigureAwait(false);
            foreach (var o in response.S3Objects ?? [])
            {
                objects.Add(new StoredObject(prefix with { Key = o.Key }, o.Size ?? 0, o.LastModified?.ToUniversalTime() ?? default, o.ETag));
            }

            token = response.IsTruncated == true ? response.NextContinuationToken : null;
        }
        while (token is not null);

        objects.Sort((a, b) => string.CompareOrdinal(a.Location.Key, b.Location.Key));
        return objects;
    }

    /// <summary>The object at <paramref name="location"/> with its recorded SHA-256, or null when there is none.</summary>
    /// <exception cref="StorageException">The bucket does not exist, access is denied, or the store cannot be reached.</exception>
    public async Task<StoredObject?> HeadAsync(S3Location location, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Run(location, ct => _client.GetObjectMetadataAsync(location.Bucket, location.Key, ct), cancellationToken).ConfigureAwait(false);
            return new StoredObject(location, response.ContentLength, response.LastModified?.ToUniversalTime() ?? default, response.ETag)
            {
                Sha256 = response.Metadata[Sha256Metadata],
            };
        }
        catch (StorageException e) when (e.NotFound && e.InnerException is AmazonS3Exception { ErrorCode: not "NoSuchBucket" })
        {
            return null;
        }
    }

    /// <summary>
    /// Writes the object to <paramref name="path"/>, streamed (never whole in memory), under a temporary name renamed
    /// when complete. A retry starts the download again.
    /// </summary>
    /// <exception cref="StorageException">The object cannot be read (the cause inside).</exception>
    public async Task DownloadAsync(S3Location location, string path, CancellationToken cancellationToken)
    {
        var temporary = AtomicFile.TemporaryPath(path);
        try
        {
            await Run(location, async ct =>
            {
                using var response = await _client.GetObjectAsync(location.Bucket, location.Key, ct).ConfigureAwait(false);
                await using var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
                await response.ResponseStream.CopyToAsync(file, 1 << 16, ct).ConfigureAwait(false);
                if (file.Length != response.ContentLength)
                {
                    throw new HttpIOException(HttpRequestError.ResponseEnded, $"the download ended after {file.Length} of {response.ContentLength} bytes");
                }

                return true;
            }, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Writes the file at <paramref name="path"/> to <paramref name="location"/>, in parts of <see cref="StorageOptions.PartBytes"/>
    /// when it is larger, with <paramref name="sha256"/> as its <c>sha256</c> metadata. Each request (each part) is retried on
    /// its own. The object exists only once the whole file is stored; a multipart upload that fails is aborted.
    /// </summary>
    /// <exception cref="StorageException">
    /// The file cannot be stored (the cause inside), or the store holds another size under the name afterwards. On S3
    /// a failed upload leaves the name as it was; a store that keeps cut-off bodies (s3rver does) may not.
    /// </exception>
    public async Task UploadAsync(string path, S3Location location, string? sha256, CancellationToken cancellationToken)
    {
        var length = new FileInfo(path).Length;
        await PutAsync(path, length, location, sha256, cancellationToken).ConfigureAwait(false);
        // What S3 promises, checked: a store that kept a cut-off body is caught here.
        var stored = await HeadAsync(location, cancellationToken).ConfigureAwait(false);
        if (stored?.Size != length)
        {
            throw new StorageException(string.Create(CultureInfo.InvariantCulture,
                $"{location}: the store holds {(stored is null ? "nothing" : stored.Size + " bytes")} of the {length} uploaded"));
        }
    }

    private async Task PutAsync(string path, long length, S3Location location, string? sha256, CancellationToken cancellationToken)
    {
        if (length <= _options.PartBytes)
        {
            var put = new PutObjectRequest { BucketName = location.Bucket, Key = location.Key, FilePath = path, UseChunkEncoding = false };
            AddSha256(put.Metadata, sha256);
            await Run(location, ct => _client.PutObjectAsync(put, ct), cancellationToken).ConfigureAwait(false);
            return;
        }

        var initiate = new InitiateMultipartUploadRequest { BucketName = location.Bucket, Key = location.Key };
        AddSha256(initiate.Metadata, sha256);
        var upload = await Run(location, ct => _client.InitiateMultipartUploadAsync(initiate, ct), cancellationToken).ConfigureAwait(false);
        try
        {
            var parts = new List<PartETag>();
            for (var (offset, number) = (0L, 1); offset < length; offset += _options.PartBytes, number++)
            {
                var part = new UploadPartRequest
                {
                    BucketName = location.Bucket,
                    Key = location.Key,
                    UploadId = upload.UploadId,
                    PartNumber = number,
                    FilePath = path,
                    FilePosition = offset,
                    PartSize = Math.Min(_options.PartBytes, length - offset),
                    UseChunkEncoding = false,
                };
                var uploaded = await Run(location, ct => _client.UploadPartAsync(part, ct), cancellationToken).ConfigureAwait(false);
                parts.Add(new PartETag(number, uploaded.ETag));
            }

            var complete = new CompleteMultipartUploadRequest { BucketName = location.Bucket, Key = location.Key, UploadId = upload.UploadId, PartETags = parts };
            await Run(location, ct => _client.CompleteMultipartUploadAsync(complete, ct), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await AbortAsync(location, upload.UploadId).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The text of a small object (UTF-8), or null when there is none.</summary>
    /// <exception cref="StorageException">The bucket does not exist, access is denied, or the store cannot be reached.</exception>
    public async Task<string?> ReadTextAsync(S3Location location, CancellationToken cancellationToken)
    {
        try
        {
            return await Run(location, async ct =>
            {
                using var response = await _client.GetObjectAsync(location.Bucket, location.Key, ct).ConfigureAwait(false);
                using var reader = new StreamReader(response.ResponseStream, System.Text.Encoding.UTF8);
                return await reader.ReadToEndAsync(ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException e) when (e.NotFound && e.InnerException is AmazonS3Exception { ErrorCode: not "NoSuchBucket" })
        {
            return null;
        }
    }

    /// <summary>
    /// Writes <paramref name="text"/> (UTF-8) to <paramref name="location"/>: with <paramref name="onlyIfAbsent"/>, as a
    /// conditional write (<c>If-None-Match: *</c>) that S3, MinIO and R2 refuse when the name exists (then the result is
    /// false); a store that ignores the condition writes anyway, so a caller reads back what it needs to be sure of.
    /// </summary>
    /// <exception cref="StorageException">The object cannot be written.</exception>
    public async Task<bool> WriteTextAsync(S3Location location, string text, bool onlyIfAbsent, CancellationToken cancellationToken)
    {
        try
        {
            var put = new PutObjectRequest { BucketName = location.Bucket, Key = location.Key, ContentBody = text, UseChunkEncoding = false };
            if (onlyIfAbsent)
            {
                put.IfNoneMatch = "*";
            }

            await Run(location, ct => _client.PutObjectAsync(put, ct), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageException e) when (onlyIfAbsent && e.InnerException is AmazonS3Exception { StatusCode: HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict })
        {
            return false;
        }
    }

    /// <summary>Deletes the objects (one request each: not every compatible store takes multi-object deletes). A missing object is not an error.</summary>
    /// <exception cref="StorageException">An object cannot be deleted.</exception>
    public async Task DeleteAsync(IEnumerable<S3Location> locations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(locations);
        foreach (var location in locations)
        {
            await Run(location, ct => _client.DeleteObjectAsync(location.Bucket, location.Key, ct), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();

    // A store that has no bucket of a name AWS would not take (capitals, '_', which Ceph and GCS allow) says the name is
    // the problem, as docs/scale-out.md promises, rather than only that the bucket is missing.
    internal static string Describe(Exception exception, string bucket) =>
        exception is AmazonS3Exception { ErrorCode: "NoSuchBucket" or "InvalidBucketName" } && !S3Location.IsAwsBucketName(bucket)
            ? $"'{bucket}' is not a bucket name (AWS S3 takes 3 to 63 lowercase letters, digits, '.' and '-'), and this store has no bucket of that name"
            : Describe(exception);

    /// <summary>What went wrong with a request, in a user's words: the cause of a <see cref="StorageException"/>.</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            AmazonS3Exception { ErrorCode: "NoSuchBucket" } => "the bucket does not exist",
            AmazonS3Exception { ErrorCode: "NoSuchKey" } or AmazonS3Exception { StatusCode: HttpStatusCode.NotFound } => "no such object",
            AmazonS3Exception { ErrorCode: "AccessDenied" } or AmazonS3Exception { StatusCode: HttpStatusCode.Forbidden, ErrorCode: null or "" } =>
                "access denied (the credentials may not read or write it)",
            AmazonS3Exception { ErrorCode: "InvalidAccessKeyId" or "SignatureDoesNotMatch" } e => $"the credentials were refused ({e.ErrorCode})",
            AmazonS3Exception e => $"{e.ErrorCode} (HTTP {(int)e.StatusCode}): {e.Message}",
            AmazonClientException e when e.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase) =>
                "no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or a web identity)",
            TimeoutException or OperationCanceledException => "the request timed out",
            _ when Transport(exception) is { } transport => $"network error: {transport.Message}",
            _ => exception.Message,
        };
    }

    private static void AddSha256(MetadataCollection metadata, string? sha256)
    {
        if (sha256 is not null)
        {
            metadata.Add(Sha256Metadata, sha256);
        }
    }

    private async Task AbortAsync(S3Location location, string uploadId)
    {
        try
        {
            var abort = new AbortMultipartUploadRequest { BucketName = location.Bucket, Key = location.Key, UploadId = uploadId };
            await _retry.ExecuteAsync(async ct => await _client.AbortMultipartUploadAsync(abort, ct).ConfigureAwait(false), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or IOException or HttpRequestException)
        {
            // The parts stay invisible: no object is under the name. A bucket lifecycle rule (AbortIncompleteMultipartUpload) frees them.
        }
    }

    // One request under the retry policy; what still fails becomes a StorageException naming the location.
    private async Task<T> Run<T>(S3Location location, Func<CancellationToken, Task<T>> request, CancellationToken cancellationToken)
    {
        try
        {
            return await _retry.ExecuteAsync(async ct => await request(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when ((e is AmazonServiceException or AmazonClientException or IOException or HttpRequestException or TimeoutException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)) && e is not StorageException)
        {
            throw new StorageException($"{location}: {Describe(e, location.Bucket)}", e)
            {
                NotFound = e is AmazonS3Exception { StatusCode: HttpStatusCode.NotFound },
                Denied = e is AmazonS3Exception { StatusCode: HttpStatusCode.Forbidden },
            };
        }
    }

    // Worth another try: the network failed, the store is busy or failed inside (5xx, 429, throttling), or a request timed out.
    private static bool IsTransient(Exception exception) => exception switch
    {
        AmazonS3Exception s3 => (int)s3.StatusCode >= 500 || s3.StatusCode == HttpStatusCode.TooManyRequests
            || s3.ErrorCode is "SlowDown" or "RequestTimeout" or "Throttling" or "InternalError"
            || (s3.StatusCode == 0 && Transport(s3) is not null),
        TimeoutException => true,
        OperationCanceledException => false,
        _ => Transport(exception) is not null,
    };

    // The network failure somewhere in the exception's causes, or null.
    private static Exception? Transport(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            // Only the network's IOExceptions: a full local disk is not worth another try.
            if (e is HttpRequestException or SocketException or HttpIOException || e is IOException { InnerException: SocketException })
            {
                return e;
            }
        }

        return null;
    }
}
