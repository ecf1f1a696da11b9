using System.Diagnostics;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Video2TfRecord.Tests.Fixtures;

/// <summary>
/// A real S3-compatible server for the tests: the npm package s3rver (installed by scripts/setup.sh --test into
/// tests/node), started on a free loopback port with its data in a temporary folder, stopped and removed after. It
/// checks AWS Signature V4 with the key pair S3RVER/S3RVER, which the fixture puts in the process's environment so
/// the converter finds it through the SDK's standard credential chain.
/// </summary>
public sealed partial class S3Server : IDisposable
{
    public const string AccessKey = "S3RVER";

    private readonly Process _process;
    private readonly TempDirectory _data = new();
    private readonly Queue<string> _lastLines = new();

    public S3Server()
    {
        var script = Repository.Combine("tests", "node", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"{script} is missing: run scripts/setup.sh --test (it installs tests/node's npm packages)");
        }

        var start = new ProcessStartInfo(NodeJs.Program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // s3rver makes listing continuation tokens with a cipher OpenSSL 3 keeps in its legacy provider: without it, the
        // second page of any listing is a 500. s3rver 3.7 was written for Node.js versions that only warned about a
        // promise rejection nothing handles; since Node.js 15 one ends the process, and with it every later test of the
        // class: a warning (kept in the output CheckRunning reports) fails the one request instead.
        foreach (var argument in new[] { "--openssl-legacy-provider", "--unhandled-rejections=warn", script, "--directory", _data.Path, "--address", "127.0.0.1", "--port", "0", "--no-vhost-buckets" })
        {
            start.ArgumentList.Add(argument);
        }

        // s3rver prints "S3rver listening on 127.0.0.1:PORT" once it accepts connections, then a line per request: both
        // streams are read to the end so their pipes never fill and block the server.
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null && Listening().Match(line.Data) is { Success: true } match)
            {
                port.TrySetResult(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        };
        _process.ErrorDataReceived += (_, line) => Remember(line.Data);
        _process.OutputDataReceived += (_, line) => Remember(line.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (!port.Task.Wait(TimeSpan.FromSeconds(60)))
        {
            _process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("s3rver did not start listening within 60 s");
        }

        Endpoint = $"http://127.0.0.1:{port.Task.Result}";
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", AccessKey);
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        Client = new AmazonS3Client(new BasicAWSCredentials(AccessKey, AccessKey), new AmazonS3Config
        {
            ServiceURL = Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
    }

    /// <summary><c>http://127.0.0.1:PORT</c>.</summary>
    public string Endpoint { get; }

    /// <summary>A client of the tests' own, to put inputs in and read results back.</summary>
    public AmazonS3Client Client { get; }

    /// <summary>The options that point the converter at this server.</summary>
    public string[] Options
    {
        get
        {
            CheckRunning();
            return ["--s3-endpoint", Endpoint, "--s3-path-style"];
        }
    }

    /// <summary>Fails, with the server's last output lines, when s3rver is no longer running.</summary>
    public void CheckRunning()
    {
        if (_process.HasExited)
        {
            lock (_lastLines)
            {
                throw new InvalidOperationException($"s3rver exited with code {_process.ExitCode}; its last output:\n{string.Join('\n', _lastLines)}");
            }
        }
    }

    // The server's last 40 lines of output (requests and errors), for CheckRunning.
    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > 40)
            {
                _lastLines.Dequeue();
            }
        }
    }

    /// <summary>A new empty bucket with a unique name.</summary>
    public string NewBucket()
    {
        CheckRunning();
        var name = "t" + Guid.NewGuid().ToString("N")[..16];
        Client.PutBucketAsync(name).GetAwaiter().GetResult();
        return name;
    }

    /// <summary>Uploads every file under <paramref name="folder"/> to <c>bucket/prefix/relative path</c>.</summary>
    public void UploadFolder(string folder, string bucket, string prefix)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var key = prefix.TrimEnd('/') + "/" + Path.GetRelativePath(folder, file).Replace('\\', '/');
            Upload(file, bucket, key.TrimStart('/'));
        }
    }

    public void Upload(string file, string bucket, string key) =>
        Client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, FilePath = file, UseChunkEncoding = false }).GetAwaiter().GetResult();

    /// <summary>Every key under <paramref name="prefix"/>, in order.</summary>
    public List<string> Keys(string bucket, string prefix = "")
    {
        var response = Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix }).GetAwaiter().GetResult();
        return (response.S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
    }

    public byte[] Read(string bucket, string key)
    {
        using var response = Client.GetObjectAsync(bucket, key).GetAwaiter().GetResult();
        using var bytes = new MemoryStream();
        response.ResponseStream.CopyTo(bytes);
        return bytes.ToArray();
    }

    /// <summary>Downloads the objects directly under <paramref name="prefix"/> into <paramref name="folder"/>, by file name.</summary>
    public void DownloadFolder(string bucket, string prefix, string folder)
    {
        Directory.CreateDirectory(folder);
        var start = prefix.TrimEnd('/') + "/";
        foreach (var key in Keys(bucket, start).Where(k => !k[start.Length..].Contains('/')))
        {
            File.WriteAllBytes(Path.Combine(folder, key[start.Length..]), Read(bucket, key));
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // It has exited already.
        }

        _process.Dispose();
        _data.Dispose();
    }

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();
}
