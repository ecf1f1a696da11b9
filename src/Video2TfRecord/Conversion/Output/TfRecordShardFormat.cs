using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Conversion.Output;

/// <summary>Shards as TFRecord files (<c>TfRecords/</c>): optionally gzip- or zlib-compressed, with a <c>.idx</c> index beside an uncompressed one when asked.</summary>
/// <param name="compression">The shards' compression.</param>
/// <param name="writeIndex">Whether every shard gets its <c>.idx</c> (DALI, the PyTorch tfrecord package).</param>
internal sealed class TfRecordShardFormat(TfRecordCompression compression, bool writeIndex) : IShardFormat
{
    /// <summary>The format a run's output options ask for.</summary>
    public static TfRecordShardFormat For(OutputOptions output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return new TfRecordShardFormat(output.Compression, output.WriteIndex);
    }

    /// <summary>Whether <paramref name="fileName"/> is a shard this format writes: any compression, and TFDS's names of TFRecord files.</summary>
    public static bool IsShardFile(string fileName) =>
        Enum.GetValues<TfRecordCompression>().Any(c => ShardName.TryParse(fileName, TfRecordFile.Extension(c), out _, out _, out _))
        || Records.TfdsLayout.IsShardName(fileName);

    /// <inheritdoc/>
    public string Extension => TfRecordFile.Extension(compression);

    /// <inheritdoc/>
    public IShardWriter Create(Stream destination) => new Writer(new TfRecordWriter(destination, compression, leaveOpen: true));

    /// <inheritdoc/>
    public IReadOnlyList<string> SideFiles(string shardName) => writeIndex ? [TfRecordIndex.PathFor(shardName)] : [];

    /// <inheritdoc/>
    public IReadOnlyList<string> FilesOf(string shardName) => [shardName, TfRecordIndex.PathFor(shardName)];

    /// <inheritdoc/>
    public void WriteSideFiles(string path, IReadOnlyList<(long Offset, long Length)> records)
    {
        if (writeIndex)
        {
            TfRecordIndex.Write(path, records);
        }
    }

    /// <inheritdoc/>
    public void RebuildSideFiles(string path)
    {
        if (writeIndex)
        {
            TfRecordIndex.Write(path);
        }
    }

    /// <inheritdoc/>
    public long PayloadBytes(long fileBytes, long records) => fileBytes - ((long)TfRecordFile.FramingLength * records);

    private sealed class Writer(TfRecordWriter writer) : IShardWriter
    {
        public long Position => writer.Position;

        public long RecordCount => writer.RecordCount;

        public long FramedLength(long length) => TfRecordWriter.FramedLength(length);

        public ValueTask WriteAsync(ReadOnlyMemory<byte> record, CancellationToken cancellationToken) => writer.WriteAsync(record, cancellationToken);

        public ValueTask DisposeAsync() => writer.DisposeAsync();
    }
}
