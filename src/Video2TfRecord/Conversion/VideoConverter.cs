using System.Buffers;
using System.Diagnostics;
using Google.Protobuf;
using Video2TfRecord.Records;
using Video2TfRecord.TfRecords;
using Video2TfRecord.Video;

namespace Video2TfRecord.Conversion;

/// <summary>
/// Converts a catalog of videos into sharded TFRecord files: the library entry point the command line calls.
/// </summary>
/// <remarks>
/// Videos that cannot be read are skipped with their reason (see <see cref="ConversionResult.Failures"/>); the other
/// videos are still written. Every file is written under a temporary name and renamed when complete, so a file with a
/// final name is always whole. Memory holds one video's record at a time.
/// </remarks>
public static class VideoConverter
{
    /// <summary>Runs a conversion.</summary>
    /// <param name="options">What to convert and how; validated here.</param>
    /// <param name="progress">Receives counts and notices, synchronously, on the converting thread.</param>
    /// <param name="cancellationToken">Stops the run; finished files stay, the file being written is removed.</param>
    /// <exception cref="UsageException">Options or paths are wrong, or an output file cannot be written.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public static async Task<ConversionResult> ConvertAsync(ConversionOptions options, IProgress<ConversionProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var catalog = InputCatalog.Build(options.Inputs, options.Patterns);
        var plan = new ShardPlan(catalog.Count, options.VideosPerFile, options.Prefix, options.Compression);
        OutputFolder.Prepare(options.OutputDirectory, options.Overwrite);

        var clock = Stopwatch.StartNew();
        var files = new List<OutputFile>(plan.ShardCount);
        var failures = new List<VideoFailure>();
        var written = 0;
        long frames = 0;
        var done = 0;
        using var pipeline = new VideoPipeline(options);
        void Notice(string text) => progress?.Report(new ConversionProgress(done, catalog.Count, frames, text));

        for (var shard = 0; shard < plan.ShardCount; shard++)
        {
            var finalPath = Path.Combine(options.OutputDirectory, plan.FileName(shard));
            var tempPath = Path.Combine(options.OutputDirectory, ShardPlan.TemporaryName(plan.FileName(shard)));
            var complete = false;
            try
            {
                long records;
                var stream = OpenTemporary(tempPath);
                await using (var writer = new TfRecordWriter(stream, options.Compression))
                {
                    var (start, count) = plan.VideosOf(shard).GetOffsetAndLength(catalog.Count);
                    for (var k = start; k < start + count; k++)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var entry = catalog[k];
                        var stored = await WriteVideoAsync(pipeline, entry, writer, options, Notice, cancellationToken).ConfigureAwait(false);
                        if (stored.Failure is { } failure)
                        {
                            failures.Add(failure);
                            Notice($"skipped {entry.FullPath}: {failure.Reason}");
                        }
                        else
                        {
                            written++;
                            frames += stored.Frames;
                        }

                        done++;
                        progress?.Report(new ConversionProgress(done, catalog.Count, frames));
                    }

                    records = writer.RecordCount;
                }

                File.Move(tempPath, finalPath, overwrite: true);
                complete = true;
                files.Add(new OutputFile(finalPath, records, new FileInfo(finalPath).Length));
            }
            catch (IOException e) when (!complete)
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

        return new ConversionResult(files, catalog.Count, written, frames, failures, clock.Elapsed);
    }

    private static FileStream OpenTemporary(string path) =>
        new(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);

    private static async Task<(int Frames, VideoFailure? Failure)> WriteVideoAsync(VideoPipeline pipeline, CatalogEntry entry,
        TfRecordWriter writer, ConversionOptions options, Action<string> notice, CancellationToken cancellationToken)
    {
        VideoRecord record;
        try
        {
            record = pipeline.Process(entry, notice, cancellationToken);
        }
        catch (VideoReadException e)
        {
            return (0, new VideoFailure(entry.RelativePath, entry.FullPath, e.Frame is { } f ? $"frame {f}: {e.Cause}" : e.Cause));
        }

        IMessage message = options.Layout == RecordLayout.Sequence ? SequenceLayout.Build(record) : ExampleLayout.Build(record);
        var size = message.CalculateSize();
        if (size > options.MaxRecordBytes)
        {
            return (0, new VideoFailure(entry.RelativePath, entry.FullPath,
                $"its record would be {size} bytes, more than --max-record-bytes {options.MaxRecordBytes}; store fewer or smaller frames"));
        }

        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            message.WriteTo(buffer.AsSpan(0, size));
            await writer.WriteAsync(buffer.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (record.Images.Count, null);
    }
}
