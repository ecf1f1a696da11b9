namespace Video2TfRecord.Conversion.Sharding;

/// <summary>
/// Which catalog entries go to which output file, decided once: within each split, written entry k (counting only the
/// entries that are written) goes to that split's file floor(k / videosPerFile); an entry left out (no label under
/// <c>--missing-label skip</c>, a clip of a missing video) stays with the shard of the next written entry, so
/// videos.jsonl lists every entry in order. Shards are numbered across splits, split after split: the number a worker
/// slice and the manifest use; each split's files are numbered from 0 in their names.
/// </summary>
internal sealed class ShardPlan
{
    private readonly Func<string?, int, int, string> _name;
    private readonly bool[] _excluded;
    // Shard s covers catalog entries [_start[s], _start[s + 1]) and is shard _local[s] of its split's _splitShards[_group[s]].
    private readonly int[] _start;
    private readonly int[] _group;
    private readonly int[] _local;
    private readonly ShardGroup[] _groups;
    private readonly int[] _groupShards;

    /// <summary>Plans a catalog of <paramref name="excluded"/>.Count entries into files of <paramref name="videosPerFile"/> records.</summary>
    /// <param name="excluded">For each catalog entry, whether it is left out (listed, not written).</param>
    /// <param name="videosPerFile">Records per file.</param>
    /// <param name="name">The final name of shard s of n (the layout's <see cref="Records.IRecordLayout.FileName"/>).</param>
    public ShardPlan(IReadOnlyList<bool> excluded, int videosPerFile, Func<int, int, string> name)
        : this(excluded, [new ShardGroup(null, excluded?.Count ?? 0)], videosPerFile, Named(name))
    {
    }

    /// <summary>Plans entries that come split after split, each split into its own files.</summary>
    /// <param name="excluded">For each entry, whether it is left out (listed, not written).</param>
    /// <param name="groups">The splits in order, each a run of consecutive entries; together they cover every entry.</param>
    /// <param name="videosPerFile">Records per file.</param>
    /// <param name="name">The final name of shard s of n of a split (null: the run has no splits).</param>
    public ShardPlan(IReadOnlyList<bool> excluded, IReadOnlyList<ShardGroup> groups, int videosPerFile, Func<string?, int, int, string> name)
    {
        ArgumentNullException.ThrowIfNull(excluded);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentOutOfRangeException.ThrowIfLessThan(videosPerFile, 1);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfNotEqual(groups.Sum(g => g.Count), excluded.Count, nameof(groups));
        _excluded = [.. excluded];
        _groups = [.. groups];
        _name = name;
        VideosPerFile = videosPerFile;
        VideoCount = _excluded.Count(e => !e);
        var starts = new List<int>();
        var group = new List<int>();
        var local = new List<int>();
        _groupShards = new int[_groups.Length];
        var first = 0;
        for (var g = 0; g < _groups.Length; g++)
        {
            var end = first + _groups[g].Count;
            var shards = 0;
            var written = 0;
            starts.Add(first);
            for (var k = first; k < end; k++)
            {
                if (_excluded[k])
                {
                    continue;
                }

                if (written > 0 && written % videosPerFile == 0)
                {
                    // The shard starts with the entries left out right before its first video.
                    var start = k;
                    while (start > first && _excluded[start - 1])
                    {
                        start--;
                    }

                    starts.Add(start);
                    group.Add(g);
                    local.Add(shards++);
                }

                written++;
            }

            group.Add(g);
            local.Add(shards++);
            _groupShards[g] = shards;
            first = end;
        }

        starts.Add(_excluded.Length);
        _start = [.. starts];
        _group = [.. group];
        _local = [.. local];
        ShardCount = _local.Length;
    }

    /// <summary>Videos written (catalog entries not left out).</summary>
    public int VideoCount { get; }

    /// <summary>Records per file (the last file of a split may hold fewer).</summary>
    public int VideosPerFile { get; }

    /// <summary>Number of output files; at least 1 per split.</summary>
    public int ShardCount { get; }

    /// <summary>The splits in order (one unnamed group when the run has no splits).</summary>
    public IReadOnlyList<ShardGroup> Groups => _groups;

    /// <summary>The final file name of a shard, as the layout names it.</summary>
    public string FileName(int shard) => _name(SplitOf(shard), _local[shard], _groupShards[_group[shard]]);

    /// <summary>The split shard <paramref name="shard"/> belongs to, or null when the run has no splits.</summary>
    public string? SplitOf(int shard) => _groups[_group[shard]].Split;

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

    private static Func<string?, int, int, string> Named(Func<int, int, string> name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return (_, shard, count) => name(shard, count);
    }
}

/// <summary>A run of consecutive entries of one split.</summary>
/// <param name="Split">The split's name, or null when the run has no splits.</param>
/// <param name="Count">Entries in it.</param>
internal sealed record ShardGroup(string? Split, int Count);
