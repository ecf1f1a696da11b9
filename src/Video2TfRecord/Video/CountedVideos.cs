namespace Video2TfRecord.Video;

/// <summary>
/// The last few videos the FFmpeg backend counted, so that the clips of one long video read its packets once, not
/// once per clip. A video is known by its full path, size and modification time: a file that changed is counted
/// again. Thread-safe; bounded (the oldest entry goes first), and only what counting found is kept, never frames.
/// </summary>
internal sealed class CountedVideos(int capacity)
{
    private readonly Dictionary<(string Path, long Bytes, long Ticks), Counting> _entries = [];
    private readonly Queue<(string, long, long)> _order = new();
    private readonly Lock _lock = new();

    /// <summary>What counting a video found, or null when it is not kept (or the file changed since).</summary>
    public Counting? Find(string path)
    {
        var key = Key(path);
        lock (_lock)
        {
            return key is { } k && _entries.TryGetValue(k, out var counting) ? counting : null;
        }
    }

    /// <summary>Keeps what counting <paramref name="path"/> found, letting go of the oldest entry when full.</summary>
    public void Add(string path, Counting counting)
    {
        if (Key(path) is not { } key)
        {
            return;
        }

        lock (_lock)
        {
            if (!_entries.TryAdd(key, counting))
            {
                return;
            }

            _order.Enqueue(key);
            while (_order.Count > capacity)
            {
                _entries.Remove(_order.Dequeue());
            }
        }
    }

    private static (string, long, long)? Key(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.FullName, info.Length, info.LastWriteTimeUtc.Ticks) : null;
    }
}

