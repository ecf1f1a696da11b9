using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using OpenCvSharp;
using Video2TfRecord.Records;
using Video2TfRecord.TfRecords;
using Video2TfRecord.Video;

namespace Video2TfRecord.Conversion;

/// <summary>
/// Converts a catalog of videos into sharded TFRecord files: the library entry point the command line calls.
/// </summary>
/// <remarks>
/// <para>Videos are converted by <see cref="ConversionOptions.Jobs"/> workers at once and written by one writer in catalog
/// order, so the output is byte-identical for any number of jobs. At most 2 × jobs finished records wait for the
/// writer: memory is bounded by that, never by the number of videos or videos per file.</para>
/// <para>Videos that cannot be read are listed with their reason (<see cref="ConversionResult.Failures"/>, videos.jsonl);
/// the other videos are still written. Every file is written under a temporary name and renamed when complete;
/// manifest.json is rewritten after every finished shard, which is what <c>--resume</c> reads.</para>
/// </remarks>
public static class VideoConverter
{
    /// <summary>The version written into manifest.json.</summary>
    public static string ToolVersion { get; } =
        typeof(VideoConverter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Runs a conversion.</summary>
    /// <param name="options">What to convert and how; validated here.</param>
    /// <param name="progress">Receives counts and notices in catalog order, synchronously, on the writing thread.</param>
    /// <param name="cancellationToken">Stops the run; finished files and the manifest stay, the file being written is removed.</param>
    /// <exception cref="UsageException">Options or paths are wrong, a resumed run does not match, or an output file cannot be written.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public static async Task<ConversionResult> ConvertAsync(ConversionOptions options, IProgress<ConversionProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = Stopwatch.StartNew();
        var catalog = InputCatalog.Build(options.Inputs, options.Patterns);
        var plan = new ShardPlan(catalog.Count, options.VideosPerFile, options.Prefix, options.Compression);
        var described = options.Describe();
        var fingerprints = (Options: Fingerprint(described), Catalog: InputCatalog.Fingerprint(catalog));
        var finished = PrepareOutput(options, plan, described, fingerprints);

        var pending = new List<int>();
        for (var shard = 0; shard < plan.ShardCount; shard++)
        {
            if (!finished.ContainsKey(shard))
            {
                var (start, count) = plan.VideosOf(shard).GetOffsetAndLength(catalog.Count);
                pending.AddRange(Enumerable.Range(start, count));
            }
        }

        var run = new RunTally(catalog.Count, progress);
        using var log = VideoLog.Open(options.OutputDirectory, resume: options.Resume);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var window = new ReorderWindow<VideoOutcome>(2 * options.Jobs);
        var workers = StartWorkers(options, catalog, pending, window, stop.Token);
        try
        {
            var position = 0L;
            for (var shard = 0; shard < plan.ShardCount; shard++)
            {
                if (finished.TryGetValue(shard, out var kept))
                {
                    run.AddPrevious(log.CopyShard(shard), kept);
                }
                else
                {
                    run.AddFile(await WriteShardAsync(options, catalog, plan, shard, window, position, log, run, stop.Token).ConfigureAwait(false));
                    position += plan.VideosOf(shard).GetOffsetAndLength(catalog.Count).Length;
                }

                log.Flush();
                Manifest(plan, described, fingerprints, run, complete: false).Write(options.OutputDirectory);
            }

            log.Complete();
            Manifest(plan, described, fingerprints, run, complete: true).Write(options.OutputDirectory);
            return run.Result(options.OutputDirectory, clock.Elapsed);
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            // Workers stop at their next frame once cancelled; wait so no decoder outlives the call.
            await Task.WhenAll(workers.Select(w => w.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
        }
    }

    private static async Task<ManifestFile> WriteShardAsync(ConversionOptions options, IReadOnlyList<CatalogEntry> catalog, ShardPlan plan,
        int shard, ReorderWindow<VideoOutcome> window, long firstPosition, VideoLog log, RunTally run, CancellationToken cancellationToken)
    {
        var name = plan.FileName(shard);
        var finalPath = Path.Combine(options.OutputDirectory, name);
        var tempPath = Path.Combine(options.OutputDirectory, ShardPlan.TemporaryName(name));
        var complete = false;
        try
        {
            long records;
            string sha256;
            await using (var hashing = new HashingStream(new FileStream(tempPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16)))
            {
                await using (var writer = new TfRecordWriter(hashing, options.Compression, leaveOpen: true))
                {
                    var (start, count) = plan.VideosOf(shard).GetOffsetAndLength(catalog.Count);
                    for (var k = 0; k < count; k++)
                    {
                        var outcome = await window.TakeAsync(firstPosition + k, cancellationToken).ConfigureAwait(false);
                        try
                        {
                            long? record = null;
                            if (outcome.Status == VideoStatus.Ok)
                            {
                                await writer.WriteAsync(outcome.Buffer.AsMemory(0, outcome.Length), cancellationToken).ConfigureAwait(false);
                                record = writer.RecordCount - 1;
                            }

                            log.Write(outcome, shard, record is null ? null : name, record);
                            run.Add(outcome);
                        }
                        finally
                        {
                            outcome.ReturnBuffer();
                        }
                    }

                    records = writer.RecordCount;
                }

                await hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
                sha256 = hashing.HashHex();
            }

            File.Move(tempPath, finalPath, overwrite: true);
            complete = true;
            return new ManifestFile(name, shard, records, new FileInfo(finalPath).Length, sha256);
        }
        catch (IOException e)
        {
            throw new UsageException($"cannot write {finalPath}: {e.Message}", e);
        }
        finally
        {
            if (!complete)
            {
                File.Delete(tempPath);
            }
        }
    }

    private static Task[] StartWorkers(ConversionOptions options, IReadOnlyList<CatalogEntry> catalog, List<int> pending,
        ReorderWindow<VideoOutcome> window, CancellationToken cancellationToken)
    {
        NativeDecoderLog.EnsureSilenced();
        // Parallelism comes from whole videos; OpenCV's own thread pool would only oversubscribe the cores.
        if (options.Jobs > 1)
        {
            Cv2.SetNumThreads(1);
        }

        var next = new StrongBox<long>(-1);
        var workers = new Task[Math.Min(options.Jobs, Math.Max(1, pending.Count))];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Run(() => WorkAsync(options, catalog, pending, window, next, cancellationToken), cancellationToken);
        }

        return workers;
    }

    private static async Task WorkAsync(ConversionOptions options, IReadOnlyList<CatalogEntry> catalog, List<int> pending,
        ReorderWindow<VideoOutcome> window, StrongBox<long> next, CancellationToken cancellationToken)
    {
        using var pipeline = new VideoPipeline(options);
        while (true)
        {
            await window.EnterAsync(cancellationToken).ConfigureAwait(false);
            var position = Interlocked.Increment(ref next.Value);
            if (position >= pending.Count)
            {
                window.Leave();
                return;
            }

            try
            {
                window.Complete(position, ConvertOne(pipeline, catalog[pending[(int)position]], options, cancellationToken));
            }
            catch (Exception e)
            {
                window.Fail(position, e);
            }
        }
    }

    private static VideoOutcome ConvertOne(VideoPipeline pipeline, CatalogEntry entry, ConversionOptions options, CancellationToken cancellationToken)
    {
        ProcessedVideo video;
        try
        {
            video = pipeline.Process(entry, cancellationToken);
        }
        catch (VideoReadException e)
        {
            return VideoOutcome.NotWritten(entry, VideoStatus.Failed, e.Frame is { } f ? $"frame {f}: {e.Cause}" : e.Cause);
        }
        catch (VideoSkippedException e)
        {
            return VideoOutcome.NotWritten(entry, VideoStatus.Skipped, e.Message);
        }
        catch (OpenCVException e)
        {
            return VideoOutcome.NotWritten(entry, VideoStatus.Failed, $"OpenCV could not process it ({e.Message})");
        }

        IMessage message = options.Layout == RecordLayout.Sequence ? SequenceLayout.Build(video.Record) : ExampleLayout.Build(video.Record);
        var size = message.CalculateSize();
        if (size > options.MaxRecordBytes)
        {
            return VideoOutcome.NotWritten(entry, VideoStatus.Skipped, string.Create(CultureInfo.InvariantCulture,
                $"its record would be {size} bytes, more than --max-record-bytes {options.MaxRecordBytes}; store fewer or smaller frames"), video);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(size);
        message.WriteTo(buffer.AsSpan(0, size));
        // The images now live in the serialized buffer; drop the encoded copies before the outcome waits for the writer.
        var slim = video with { Record = WithoutImages(video.Record) };
        return new VideoOutcome { Entry = entry, Status = VideoStatus.Ok, Buffer = buffer, Length = size, Video = slim };
    }

    private static VideoRecord WithoutImages(VideoRecord record) => new()
    {
        Id = record.Id,
        Path = record.Path,
        FrameCount = record.FrameCount,
        Fps = record.Fps,
        FrameIndices = record.FrameIndices,
        TimestampsUs = record.TimestampsUs,
        Images = [],
        Height = record.Height,
        Width = record.Width,
        Channels = record.Channels,
        Encoding = record.Encoding,
        PixelType = record.PixelType,
        Color = record.Color,
        LabelIndex = record.LabelIndex,
        LabelText = record.LabelText,
    };

    private static Dictionary<int, ManifestFile> PrepareOutput(ConversionOptions options, ShardPlan plan,
        IReadOnlyDictionary<string, string> described, (string Options, string Catalog) fingerprints)
    {
        var directory = options.OutputDirectory;
        if (!options.Resume)
        {
            OutputFolder.Prepare(directory, options.Overwrite);
            return [];
        }

        OutputFolder.PrepareForResume(directory);
        var previous = RunManifest.Read(directory);
        if (previous is null)
        {
            if (Directory.EnumerateFiles(directory).Any(f => OutputFolder.IsRecordFile(Path.GetFileName(f))))
            {
                throw new UsageException($"--resume: {directory} holds record files but no {RunManifest.FileName}; give --overwrite to start again");
            }

            return [];
        }

        var changed = described.Keys.Union(previous.Options.Keys)
            .Where(k => !string.Equals(described.GetValueOrDefault(k), previous.Options.GetValueOrDefault(k), StringComparison.Ordinal))
            .Select(k => $"--{k} {previous.Options.GetValueOrDefault(k) ?? "(unset)"} → {described.GetValueOrDefault(k) ?? "(unset)"}")
            .ToList();
        if (changed.Count > 0)
        {
            throw new UsageException($"--resume: the options differ from the run in {directory}: {string.Join(", ", changed)}");
        }

        if (!string.Equals(previous.CatalogFingerprint, fingerprints.Catalog, StringComparison.Ordinal))
        {
            throw new UsageException($"--resume: the input videos differ from the run in {directory} (a video was added, removed or modified since); give --overwrite to start again");
        }

        var finished = new Dictionary<int, ManifestFile>();
        foreach (var file in previous.Files)
        {
            var path = Path.Combine(directory, file.Name);
            if (file.Shard < plan.ShardCount && string.Equals(file.Name, plan.FileName(file.Shard), StringComparison.Ordinal) && Matches(path, file))
            {
                finished[file.Shard] = file;
            }
        }

        // Anything else of ours is incomplete or stale: it is redone.
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(path);
            if (OutputFolder.IsRecordFile(name) && !finished.Values.Any(f => string.Equals(f.Name, name, StringComparison.Ordinal)))
            {
                File.Delete(path);
            }
        }

        return finished;
    }

    private static bool Matches(string path, ManifestFile file)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length != file.Bytes)
        {
            return false;
        }

        using var stream = File.OpenRead(path);
        return string.Equals(Convert.ToHexStringLower(SHA256.HashData(stream)), file.Sha256, StringComparison.Ordinal);
    }

    private static string Fingerprint(IReadOnlyDictionary<string, string> described)
    {
        var text = string.Concat(described.Select(p => $"{p.Key}={p.Value}\n"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static RunManifest Manifest(ShardPlan plan, IReadOnlyDictionary<string, string> described,
        (string Options, string Catalog) fingerprints, RunTally run, bool complete) => new()
        {
            ToolVersion = ToolVersion,
            Options = described,
            OptionsFingerprint = fingerprints.Options,
            CatalogFingerprint = fingerprints.Catalog,
            Shards = plan.ShardCount,
            Files = run.Files,
            Totals = run.Totals(),
            Complete = complete,
        };
}
