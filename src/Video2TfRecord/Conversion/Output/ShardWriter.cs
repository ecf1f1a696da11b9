using Video2TfRecord.Conversion.Pipeline;
using Video2TfRecord.Conversion.Run;
using Video2TfRecord.Conversion.RunRecords;
using Video2TfRecord.Conversion.Sharding;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Conversion.Output;

/// <summary>
/// The ordered writer: takes the workers' outcomes in catalog order and writes each shard under a temporary name in
/// the run's shard format, logging every entry (written or not) in its place, then renames it and writes its side files.
/// </summary>
/// <param name="plan">Which entries each shard holds and its name.</param>
/// <param name="items">The run's entries and the ones listed but not written.</param>
/// <param name="format">The shards' file format.</param>
/// <param name="directory">The local folder the shards are written in (a bucket's staging folder).</param>
internal sealed class ShardWriter(ShardPlan plan, RunItems items, IShardFormat format, string directory)
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Writes shard <paramref name="shard"/>, taking its converted entries from <paramref name="window"/> from position
    /// <paramref name="firstPosition"/> on; logs each entry and counts it in <paramref name="tally"/>.
    /// </summary>
    /// <returns>The finished file, as manifest.json lists it.</returns>
    /// <exception cref="IOException">The file cannot be written (the message names it); nothing is left under its name.</exception>
    public async Task<ManifestFile> WriteAsync(int shard, ReorderWindow<VideoOutcome> window, long firstPosition, VideoLog log,
        RunTally tally, CancellationToken cancellationToken)
    {
        var name = plan.FileName(shard);
        var finalPath = Path.Combine(directory, name);
        var tempPath = AtomicFile.TemporaryPath(finalPath);
        var complete = false;
        var (start, end) = plan.EntriesOf(shard);
        var records = new List<(long Offset, long Length)>(end - start);
        try
        {
            long count;
            string sha256;
            await using (var hashing = new HashingStream(new FileStream(tempPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16)))
            {
                await using (var writer = format.Create(hashing))
                {
                    var position = firstPosition;
                    for (var k = start; k < end; k++)
                    {
                        var outcome = items.NotWritten[k] is { } left
                            ? VideoOutcome.NotWritten(items.Entries[k], left.Status, left.Reason)
                            : await TakeAsync(window, position++, tally, cancellationToken).ConfigureAwait(false);
                        try
                        {
                            long? record = null;
                            if (outcome.Status == VideoStatus.Ok)
                            {
                                records.Add((writer.Position, writer.FramedLength(outcome.Length)));
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

                    count = writer.RecordCount;
                }

                await hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
                sha256 = hashing.HashHex();
            }

            File.Move(tempPath, finalPath, overwrite: true);
            complete = true;
            format.WriteSideFiles(finalPath, records);
            return new ManifestFile(name, shard, count, new FileInfo(finalPath).Length, sha256) { Split = plan.SplitOf(shard) };
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
    private static async Task<VideoOutcome> TakeAsync(ReorderWindow<VideoOutcome> window, long position, RunTally tally, CancellationToken cancellationToken)
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
}
