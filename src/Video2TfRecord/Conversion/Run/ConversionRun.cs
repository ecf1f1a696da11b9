using System.Buffers;
using System.Runtime.CompilerServices;
using Google.Protobuf;
using OpenCvSharp;
using Video2TfRecord.Conversion.Annotations;
using Video2TfRecord.Conversion.Inputs;
using Video2TfRecord.Conversion.Output;
using Video2TfRecord.Conversion.Pipeline;
using Video2TfRecord.Conversion.Remote;
using Video2TfRecord.Conversion.RunRecords;
using Video2TfRecord.Conversion.Sharding;
using Video2TfRecord.Records;
using Video2TfRecord.Storage;
using Video2TfRecord.TfRecords;
using Video2TfRecord.Video;

namespace Video2TfRecord.Conversion.Run;

/// <summary>
/// One conversion in progress: the catalog, its shard plan, the workers that convert videos and the ordered writer
/// that turns their results into files, videos.jsonl and manifest.json. Built and run by <see cref="VideoConverter"/>.
/// </summary>
internal sealed class ConversionRun
{
    private readonly ConversionOptions _options;
    private readonly IReadOnlyList<CatalogEntry> _catalog;
    private readonly RunItems _items;
    private readonly RunLabels _labels;
    private readonly IRecordLayout _layout;
    private readonly ShardPlan _plan;
    private readonly IVideoDecoder _decoder;

    // Records above this are serialized into an array of their own size rather than a pooled one.
    private const int LargeRecordBytes = 64 << 20;
    private int? _nativeThreads;

    private readonly RunStorage? _storage;

    public ConversionRun(ConversionOptions options, RunItems items, RunLabels labels, IVideoDecoder decoder, RunStorage? storage = null)
    {
        _storage = storage;
        _decoder = decoder;
        _options = options;
        _items = items;
        _catalog = items.Entries;
        _labels = labels;
        var output = options.Output;
        _layout = RecordLayouts.For(output.Layout);
        _plan = new ShardPlan(items.NotWritten.Select(n => n is not null).ToList(), items.Groups, output.VideosPerFile,
            (split, shard, count) => _layout.FileName(output.Prefix, split ?? output.SplitName, shard, count, output.Compression));
    }

    /// <summary>The entries of the run in shard order: videos, or clips of them.</summary>
    public IReadOnlyList<CatalogEntry> Entries => _catalog;

    /// <summary>Why entry <paramref name="position"/> is listed and not written, or null when it is converted.</summary>
    public (VideoStatus Status, string Reason)? NotWritten(int position) => _items.NotWritten[position];

    public ShardPlan Plan => _plan;

    /// <summary>What building the catalog found that a user should know (symlinked folders followed, loops skipped).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The SHA-256 of the clips CSV, when the run has one (for the options fingerprint).</summary>
    public string? ClipsSha256 { get; init; }

    /// <summary>Where the workers are inside their videos (set by <see cref="StartWorkers"/>).</summary>
    public RunActivity Activity { get; private set; } = new(0, 0);

    /// <summary>The <c>s3://</c> output the run writes to, or null for a folder.</summary>
    public string? Remote => _storage?.Output is BucketOutput bucket ? bucket.Name : null;

    /// <summary>The decoder backend the workers use.</summary>
    public IVideoDecoder Decoder => _decoder;

    public async Task<ManifestFile> WriteShardAsync(int shard, ReorderWindow<VideoOutcome> window, long firstPosition, VideoLog log,
        RunTally tally, CancellationToken cancellationToken)
    {
        var name = _plan.FileName(shard);
        var output = _options.Output;
        var finalPath = Path.Combine(output.Directory, name);
        var tempPath = AtomicFile.TemporaryPath(finalPath);
        var complete = false;
        var index = new List<(long Offset, long Length)>(output.VideosPerFile);
        try
        {
            long records;
            string sha256;
            await using (var hashing = new HashingStream(new FileStream(tempPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16)))
            {
                await using (var writer = new TfRecordWriter(hashing, output.Compression, leaveOpen: true))
                {
                    var position = firstPosition;
                    var (start, end) = _plan.EntriesOf(shard);
                    for (var k = start; k < end; k++)
                    {
                        var outcome = _items.NotWritten[k] is { } left
                            ? VideoOutcome.NotWritten(_catalog[k], left.Status, left.Reason)
                            : await TakeAsync(window, position++, tally, cancellationToken).ConfigureAwait(false);
                        try
                        {
                            long? record = null;
                            if (outcome.Status == VideoStatus.Ok)
                            {
                                index.Add((writer.Position, TfRecordWriter.FramedLength(outcome.Length)));
                                await writer.WriteAsync(outcome.Buffer.AsMemory(0, outcome.Length), cancellationToken).ConfigureAwait(false);
                                record = writer.RecordCount - 1;
                            }

                            log.Write(outcome, shard, record is null ? null : name, record);
                            tally.Add(outcome);
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
            if (output.WriteIndex)
            {
                TfRecordIndex.Write(finalPath, index);
            }

            return new ManifestFile(name, shard, records, new FileInfo(finalPath).Length, sha256) { Split = _plan.SplitOf(shard) };
        }
        catch (IOException e)
        {
            throw new IOException($"cannot write {finalPath}: {e.Message}", e);
        }
        finally
        {
            if (!complete)
            {
                File.Delete(tempPath);
            }
        }
    }

    // The next outcome in catalog order; while it is not ready, the tally reports how far the workers are, every second,
    // so a long video moves the progress too. Reports stay on the writer's flow, one at a time.
    private async Task<VideoOutcome> TakeAsync(ReorderWindow<VideoOutcome> window, long position, RunTally tally, CancellationToken cancellationToken)
    {
        var take = window.TakeAsync(position, cancellationToken);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var pause = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var tick = Task.Delay(TickInterval, pause.Token);
            if (await Task.WhenAny(take, tick).ConfigureAwait(false) == take)
            {
                await pause.CancelAsync().ConfigureAwait(false);
                return await take.ConfigureAwait(false);
            }

            tally.Tick();
        }
    }

    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    /// <summary>Gives OpenCV back the thread count it had before <see cref="StartWorkers"/>.</summary>
    public void RestoreNativeThreads()
    {
        if (_nativeThreads is { } threads)
        {
            Cv2.SetNumThreads(threads);
        }
    }

    public Task[] StartWorkers(List<int> pending, ReorderWindow<VideoOutcome> window, CancellationToken cancellationToken)
    {
        NativeDecoderLog.EnsureSilenced();
        // Parallelism comes from whole videos; OpenCV's own thread pool would only oversubscribe the cores. The setting
        // is process-wide: RestoreNativeThreads puts the caller's back when the run ends.
        _nativeThreads = Cv2.GetNumThreads();
        if (_options.Jobs > 1)
        {
            Cv2.SetNumThreads(1);
        }

        var next = new StrongBox<long>(-1);
        var workers = new Task[Math.Min(_options.Jobs, Math.Max(1, pending.Count))];
        Activity = new RunActivity(workers.Length, 0);
        for (var w = 0; w < workers.Length; w++)
        {
            var slot = w;
            workers[w] = Task.Run(() => WorkAsync(slot, pending, window, next, cancellationToken), cancellationToken);
        }

        return workers;
    }

    private async Task WorkAsync(int slot, List<int> pending, ReorderWindow<VideoOutcome> window, StrongBox<long> next, CancellationToken cancellationToken)
    {
        var activity = Activity;
        using var pipeline = new VideoPipeline(_options.Sampling, _options.Images, _options.Flow, _layout.FlowPacking, _decoder, _options.Audio);
        while (true)
        {
            await window.EnterAsync(cancellationToken).ConfigureAwait(false);
            var position = Interlocked.Increment(ref next.Value);
            if (position >= pending.Count)
            {
                window.Leave();
                return;
            }

            // The video a worker takes after this one, one round of the workers later: its download runs meanwhile.
            if (position + _options.Jobs < pending.Count)
            {
                _storage?.Prefetch(_catalog[pending[(int)(position + _options.Jobs)]]);
            }

            activity.Begin(slot);
            try
            {
                window.Complete(position, Convert(pipeline, _catalog[pending[(int)position]], (index, total) => activity.Reached(slot, index, total), cancellationToken));
            }
            catch (Exception e)
            {
                window.Fail(position, e);
            }
            finally
            {
                activity.End(slot);
            }
        }
    }

    private VideoOutcome Convert(VideoPipeline pipeline, CatalogEntry entry, Action<int, int> reached, CancellationToken cancellationToken)
    {
        ProcessedVideo video;
        try
        {
            var file = entry.FullPath;
            using var lease = _storage?.Acquire(entry, cancellationToken, out file);
            video = pipeline.Process(entry, cancellationToken, reached, file);
        }
        catch (StorageException e)
        {
            return VideoOutcome.NotWritten(entry, VideoStatus.Failed, RunStorage.DownloadFailure(e));
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

        if (_labels.For(entry) is { } label)
        {
            video = video with { Record = video.Record with { LabelIndex = label.Index, LabelText = label.Text } };
        }

        if (_labels.CaptionOf(entry) is { } caption)
        {
            video = video with { Record = video.Record with { Caption = caption } };
        }

        var message = _layout.Build(video.Record, labeled: _labels.Table is not null);
        if (RecordSize.Refusal(video.Record, _options.Output.MaxRecordBytes, message.CalculateSize, out var size) is { } refusal)
        {
            return VideoOutcome.NotWritten(entry, VideoStatus.Skipped, refusal, video);
        }

        // Pooled arrays come in powers of two: a 805 MB record would hold a 1 GiB one. Large records get their exact size.
        var pooled = size <= LargeRecordBytes;
        var buffer = pooled ? ArrayPool<byte>.Shared.Rent(size) : GC.AllocateUninitializedArray<byte>(size);
        message.WriteTo(buffer.AsSpan(0, size));
        // The images now live in the serialized buffer; drop the encoded copies before the outcome waits for the writer.
        var slim = video with { Record = video.Record with { Images = [] } };
        return new VideoOutcome { Entry = entry, Status = VideoStatus.Ok, Buffer = buffer, Pooled = pooled, Length = size, Video = slim };
    }
}
