using System.Globalization;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Conversion;

/// <summary>Which videos go to which output file: video k goes to file floor(k / videosPerFile).</summary>
public sealed class ShardPlan
{
    /// <summary>Plans <paramref name="videoCount"/> videos into files of <paramref name="videosPerFile"/> records.</summary>
    /// <param name="videoCount">Videos to plan.</param>
    /// <param name="videosPerFile">Records per file.</param>
    /// <param name="prefix">File name prefix (the dataset name for TFDS names).</param>
    /// <param name="compression">Output compression, which sets the extension of our own names.</param>
    /// <param name="tfdsSplit">
    /// When set, files take TensorFlow Datasets' default names <c>{prefix}-{split}.tfrecord-00000-of-00003</c>
    /// (tensorflow_datasets/core/naming.py, <c>{DATASET}-{SPLIT}.{FILEFORMAT}-{SHARD_X_OF_Y}</c>) instead of ours.
    /// </param>
    public ShardPlan(int videoCount, int videosPerFile, string prefix, TfRecordCompression compression, string? tfdsSplit = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(videoCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(videosPerFile, 1);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        VideoCount = videoCount;
        VideosPerFile = videosPerFile;
        Prefix = prefix;
        Compression = compression;
        TfdsSplit = tfdsSplit;
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

    /// <summary>The TFDS split the files belong to, or <see langword="null"/> for this tool's own names.</summary>
    public string? TfdsSplit { get; }

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

    /// <summary>
    /// The final file name of a shard: <c>{prefix}-00003-of-00012.tfrecord[.gz|.zz]</c>, or with a TFDS split
    /// <c>{prefix}-{split}.tfrecord-00003-of-00012</c>.
    /// </summary>
    public string FileName(int shard) => TfdsSplit is { } split
        ? string.Create(CultureInfo.InvariantCulture, $"{Prefix}-{split}.tfrecord-{shard:D5}-of-{ShardCount:D5}")
        : string.Create(CultureInfo.InvariantCulture, $"{Prefix}-{shard:D5}-of-{ShardCount:D5}{TfRecordFile.Extension(Compression)}");

    /// <summary>The name a shard has while it is written: hidden, and never taken for a finished file.</summary>
    public static string TemporaryName(string fileName) => "." + fileName + ".partial";
}
