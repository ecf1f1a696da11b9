namespace Video2TfRecord.Conversion.Output;

/// <summary>
/// The file format of a run's shards: how their names end, which files are its own, how records are written into one,
/// and the side files beside it. TFRecord (<see cref="TfRecordShardFormat"/>) is the one the run writes today; another
/// format is added beside it, and the run, the shard writer and the publisher stay as they are.
/// </summary>
internal interface IShardFormat
{
    /// <summary>What a shard's name ends with, compression included (<c>.tfrecord.gz</c>).</summary>
    string Extension { get; }

    /// <summary>Starts writing records into <paramref name="destination"/>, which stays open after the writer is disposed.</summary>
    IShardWriter Create(Stream destination);

    /// <summary>The side files this run writes beside a shard named <paramref name="shardName"/> (its index when asked), by name.</summary>
    IReadOnlyList<string> SideFiles(string shardName);

    /// <summary>Every file of the format a shard named <paramref name="shardName"/> may have: itself and any side file, asked for or not (what a worker may clear).</summary>
    IReadOnlyList<string> FilesOf(string shardName);

    /// <summary>Writes the side files of the finished shard at <paramref name="path"/> from the records it holds (offset, framed length).</summary>
    void WriteSideFiles(string path, IReadOnlyList<(long Offset, long Length)> records);

    /// <summary>Writes the side files of a shard a previous run finished, reading the shard itself.</summary>
    void RebuildSideFiles(string path);

    /// <summary>The bytes of the records themselves in a shard of <paramref name="fileBytes"/> holding <paramref name="records"/> records (framing excluded).</summary>
    long PayloadBytes(long fileBytes, long records);
}
