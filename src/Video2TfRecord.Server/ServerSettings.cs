using System.Globalization;

namespace Video2TfRecord.Server;

/// <summary>
/// The service's settings, bound from the configuration section <c>Video2TfRecord:Server</c> (appsettings.json beside
/// the program, environment variables such as <c>Video2TfRecord__Server__MaxFileBytes</c>, and <c>serve</c>'s options).
/// </summary>
public sealed class ServerSettings
{
    /// <summary>The configuration section the settings are read from.</summary>
    public const string Section = "Video2TfRecord:Server";

    /// <summary>Where the job database (<c>jobs.db</c>) and a folder per job live.</summary>
    public string DataFolder { get; set; } = "video2tfrecord-data";

    /// <summary>The address to listen on; 127.0.0.1 unless told otherwise.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The port to listen on.</summary>
    public int Port { get; set; } = 8080;

    /// <summary>Largest upload of one file, bytes.</summary>
    public long MaxFileBytes { get; set; } = 2L << 30;

    /// <summary>Largest upload of one job (every part together), bytes.</summary>
    public long MaxJobBytes { get; set; } = 8L << 30;

    /// <summary>Most videos in one job.</summary>
    public int MaxFilesPerJob { get; set; } = 1000;

    /// <summary>File extensions accepted as videos (without the dot, any case).</summary>
    public string[] AllowedExtensions { get; set; } = ["mp4", "m4v", "mov", "avi", "mkv", "webm", "mpg", "mpeg", "ts", "wmv", "flv", "3gp"];

    /// <summary>Jobs converted at once.</summary>
    public int MaxConcurrentJobs { get; set; } = 1;

    /// <summary>Jobs that may wait; when that many wait, new jobs are answered 503 with <c>Retry-After</c>.</summary>
    public int MaxQueuedJobs { get; set; } = 20;

    /// <summary>Videos a job converts at once (its <c>--jobs</c>); 0: the cores divided by the jobs at once.</summary>
    public int JobsPerConversion { get; set; }

    /// <summary>
    /// API keys as SHA-256 hex of the key (<c>printf %s KEY | sha256sum</c>); empty: no keys asked. With keys, each key
    /// sees only its own jobs.
    /// </summary>
    public string[] ApiKeySha256 { get; set; } = [];

    /// <summary>Uploads are refused while less than this many bytes are free in <see cref="DataFolder"/>.</summary>
    public long MinFreeBytes { get; set; } = 1L << 30;

    /// <summary>
    /// Most bytes a job's output may hold (records, manifest, index files, temporary files). Checked while the job runs,
    /// at every progress report (at least once a second): a job past it is stopped and failed with the reason, and its
    /// output is deleted. A few fields can turn a small upload into a large output (<c>fps=100000</c>, <c>encoding=raw</c>).
    /// </summary>
    public long MaxOutputBytes { get; set; } = 16L << 30;

    /// <summary>
    /// The largest record a job writes: a job's <c>max-record-bytes</c> defaults to it and may only be lower. A conversion
    /// holds about two records' worth per video it converts at once (the frames, then the serialized record) and up to
    /// two finished records per video at once waiting for their turn to be written, so a job's memory stays under about
    /// 4 × <see cref="JobsPerConversion"/> × this, and the service's under <see cref="MaxConcurrentJobs"/> times that.
    /// </summary>
    public long MaxRecordBytes { get; set; } = 64L << 20;

    /// <summary>Finished jobs and their files are deleted after this long.</summary>
    public TimeSpan ResultTtl { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a client may take to send its request headers.</summary>
    public TimeSpan HeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an upload may send less than 240 bytes per second before it is cut off.</summary>
    public TimeSpan BodyTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public void Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok)
            {
                throw new ArgumentException(message);
            }
        }

        var c = CultureInfo.InvariantCulture;
        Require(!string.IsNullOrWhiteSpace(DataFolder), $"{Section}:DataFolder: give a folder");
        Require(Port is >= 0 and <= 65535, string.Create(c, $"{Section}:Port: expected 0 to 65535, got {Port}"));
        Require(MaxFileBytes > 0 && MaxJobBytes >= MaxFileBytes, $"{Section}:MaxFileBytes and MaxJobBytes: expected 0 < MaxFileBytes <= MaxJobBytes");
        Require(MaxFilesPerJob > 0, $"{Section}:MaxFilesPerJob: expected at least 1");
        Require(MaxOutputBytes > 0, $"{Section}:MaxOutputBytes: expected at least 1");
        Require(MaxRecordBytes is > 0 and <= int.MaxValue, string.Create(c, $"{Section}:MaxRecordBytes: expected 1 to {int.MaxValue} (protobuf's limit), got {MaxRecordBytes}"));
        Require(MaxConcurrentJobs > 0, $"{Section}:MaxConcurrentJobs: expected at least 1");
        Require(MaxQueuedJobs >= 0, $"{Section}:MaxQueuedJobs: expected 0 or more");
        Require(HeadersTimeout > TimeSpan.Zero, $"{Section}:HeadersTimeout: expected more than 0");
        Require(BodyTimeout > TimeSpan.FromSeconds(1), $"{Section}:BodyTimeout: expected more than 1 second (Kestrel's least)");
        Require(ApiKeySha256.All(k => k.Length == 64 && k.All(Uri.IsHexDigit)), $"{Section}:ApiKeySha256: each entry is the SHA-256 of a key, 64 hex digits");
    }
}
