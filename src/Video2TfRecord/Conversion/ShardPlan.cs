namespace Video2TfRecord.Conversion;

/// <summary>Which videos go to which output file: video k goes to file floor(k / videosPerFile).</summary>
public sealed class ShardPlan
{
    private readonly Func<int, int, string> _name;

    /// <summary>Plans <paramref name="videoCount"/> videos into files of <paramref name="videosPerFile"/> records.</summary>
    /// <param name="videoCount">Videos to plan.</param>
    /// <param name="videosPerFile">Records per file.</param>
    /// <param name="name">The final name of shard s of n (the layout's <see cref="Records.IRecordLayout.FileName"/>).</param>
    public ShardPlan(int videoCount, int videosPerFile, Func<int, int, string> name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(videoCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(videosPerFile, 1);
        ArgumentNullException.ThrowIfNull(name);
        VideoCount = videoCount;
        VideosPerFile = videosPerFile;
        _name = name;
        ShardCount = Math.Max(1, (videoCount + videosPerFile - 1) / videosPerFile);
    }

    /// <summary>Videos planned.</summary>
    public int VideoCount { get; }

    /// <summary>Records per file (the last file may hold fewer).</summary>
    public int VideosPerFile { get; }

    /// <summary>Number of output files; at least 1.</summary>
    public int ShardCount { get; }

    /// <summary>The final file name of a shard, as the layout names it.</summary>
    public string FileName(int shard) => _name(shard, ShardCount);
}
