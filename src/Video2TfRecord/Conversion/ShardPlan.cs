namespace Video2TfRecord.Conversion;

/// <summary>
/// Which catalog entries go to which output file, decided once: written video k (counting only the videos that are
/// written) goes to file floor(k / videosPerFile); a video left out (no label under <c>--missing-label skip</c>) stays
/// with the shard of the next written video, so videos.jsonl lists every entry in catalog order.
/// </summary>
public sealed class ShardPlan
{
    private readonly Func<int, int, string> _name;
    private readonly bool[] _excluded;
    // Shard s covers catalog entries [_start[s], _start[s + 1]).
    private readonly int[] _start;

    /// <summary>Plans a catalog of <paramref name="excluded"/>.Count entries into files of <paramref name="videosPerFile"/> records.</summary>
    /// <param name="excluded">For each catalog entry, whether it is left out (listed, not written).</param>
    /// <param name="videosPerFile">Records per file.</param>
    /// <param name="name">The final name of shard s of n (the layout's <see cref="Records.IRecordLayout.FileName"/>).</param>
    public ShardPlan(IReadOnlyList<bool> excluded, int videosPerFile, Func<int, int, string> name)
    {
        ArgumentNullException.ThrowIfNull(excluded);
        ArgumentOutOfRangeException.ThrowIfLessThan(videosPerFile, 1);
        ArgumentNullException.ThrowIfNull(name);
        _excluded = [.. excluded];
        _name = name;
        VideosPerFile = videosPerFile;
        VideoCount = _excluded.Count(e => !e);
        ShardCount = Math.Max(1, (VideoCount + videosPerFile - 1) / videosPerFile);
        _start = new int[ShardCount + 1];
        var written = 0;
        for (var k = 0; k < _excluded.Length; k++)
        {
            if (_excluded[k])
            {
                continue;
            }

            if (written > 0 && written % videosPerFile == 0)
            {
                // The shard starts with the entries left out right before its first video.
                var first = k;
                while (first > 0 && _excluded[first - 1])
                {
                    first--;
                }

                _start[written / videosPerFile] = first;
            }

            written++;
        }

        _start[ShardCount] = _excluded.Length;
    }

    /// <summary>Videos written (catalog entries not left out).</summary>
    public int VideoCount { get; }

    /// <summary>Records per file (the last file may hold fewer).</summary>
    public int VideosPerFile { get; }

    /// <summary>Number of output files; at least 1.</summary>
    public int ShardCount { get; }

    /// <summary>The final file name of a shard, as the layout names it.</summary>
    public string FileName(int shard) => _name(shard, ShardCount);

    /// <summary>Whether catalog entry <paramref name="position"/> is left out.</summary>
    public bool IsExcluded(int position) => _excluded[position];

    /// <summary>The catalog entries [Start, End) shard <paramref name="shard"/> covers, written or left out.</summary>
    public (int Start, int End) EntriesOf(int shard) => (_start[shard], _start[shard + 1]);

    /// <summary>The catalog positions of the videos shard <paramref name="shard"/> writes, in order.</summary>
    public IEnumerable<int> WrittenOf(int shard)
    {
        for (var k = _start[shard]; k < _start[shard + 1]; k++)
        {
            if (!_excluded[k])
            {
                yield return k;
            }
        }
    }
}
