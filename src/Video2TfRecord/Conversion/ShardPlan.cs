using System.Globalization;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Conversion;

/// <summary>Which videos go to which output file: video k goes to file floor(k / videosPerFile).</summary>
public sealed class ShardPlan
{
    /// <summary>Plans <paramref name="videoCount"/> videos into files of <paramref name="videosPerFile"/> records.</summary>
    public ShardPlan(int videoCount, int videosPerFile, string prefix, TfRecordCompression compression)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(videoCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(videosPerFile, 1);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        VideoCount = videoCount;
        VideosPerFile = videosPerFile;
        Prefix = prefix;
        Compression = compression;
        ShardCount = Math.Max(1, (videoCount + videosPerFile - 1) / videosPerFile);
    }

    /// <summary>Videos planned.</summary>
    public int VideoCount { get; }

    /// <summary>Records per file (the last file may hold fewer).</summary>
    public int VideosPerFile { get; }

    /// <summary>File name prefix.</summary>
    public string Prefix { get; }

    /// <summary>Output compression, which sets the file extension.</summary>
    public TfRecordCompression Compression { get; }

    /// <summary>Number of output files; at least 1.</summary>
    public int ShardCount { get; }

    /// <summary>The catalog positions [start, end) that shard <paramref name="shard"/> holds.</summary>
    public Range VideosOf(int shard)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shard, ShardCount);
        var start = Math.Min(VideoCount, shard * VideosPerFile);
        return new Range(start, Math.Min(VideoCount, start + VideosPerFile));
    }

    /// <summary>The final file name of a shard: <c>{prefix}-00003-of-00012.tfrecord[.gz|.zz]</c>.</summary>
    public string FileName(int shard) => string.Create(CultureInfo.InvariantCulture,
        $"{Prefix}-{shard:D5}-of-{ShardCount:D5}{TfRecordFile.Extension(Compression)}");

    /// <summary>The name a shard has while it is written: hidden, and never taken for a finished file.</summary>
    public static string TemporaryName(string fileName) => "." + fileName + ".partial";
}
