namespace Video2TfRecord.Conversion.Output;

/// <summary>Writes serialized records into one shard, in order. Disposing it finishes the shard's framing (and compression).</summary>
internal interface IShardWriter : IAsyncDisposable
{
    /// <summary>Where the next record starts, in bytes of the uncompressed shard.</summary>
    long Position { get; }

    /// <summary>Records written so far.</summary>
    long RecordCount { get; }

    /// <summary>The bytes a record of <paramref name="length"/> bytes takes in the shard, framing included.</summary>
    long FramedLength(long length);

    /// <summary>Appends one record.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> record, CancellationToken cancellationToken);
}
