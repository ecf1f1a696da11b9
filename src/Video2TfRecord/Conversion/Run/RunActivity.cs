namespace Video2TfRecord.Conversion.Run;

/// <summary>
/// How far the workers are inside the videos they convert, for progress: each worker's position in its current video
/// (source frame reached over frame count), the videos finished, the source frames gone through. Written by the workers,
/// read by the writer; thread-safe.
/// </summary>
internal sealed class RunActivity(int workers, int alreadyDone)
{
    private readonly double[] _position = new double[workers];
    private readonly int[] _reached = new int[workers];
    private int _finished = alreadyDone;
    private long _sourceFrames;

    /// <summary>Worker <paramref name="worker"/> starts a video.</summary>
    public void Begin(int worker)
    {
        _reached[worker] = 0;
        Volatile.Write(ref _position[worker], 0);
    }

    /// <summary>Worker <paramref name="worker"/> reached source frame <paramref name="index"/> of <paramref name="total"/>.</summary>
    public void Reached(int worker, int index, int total)
    {
        var reached = index + 1;
        if (reached <= _reached[worker])
        {
            return;
        }

        Interlocked.Add(ref _sourceFrames, reached - _reached[worker]);
        _reached[worker] = reached;
        Volatile.Write(ref _position[worker], Math.Min(1, (double)reached / Math.Max(1, total)));
    }

    /// <summary>Worker <paramref name="worker"/> finished its video (converted or not).</summary>
    public void End(int worker)
    {
        Volatile.Write(ref _position[worker], 0);
        Interlocked.Increment(ref _finished);
    }

    /// <summary>Videos finished plus the parts of those in progress, and the source frames gone through.</summary>
    public (double Videos, long SourceFrames) Snapshot()
    {
        var videos = (double)Volatile.Read(ref _finished);
        for (var i = 0; i < _position.Length; i++)
        {
            videos += Volatile.Read(ref _position[i]);
        }

        return (videos, Interlocked.Read(ref _sourceFrames));
    }
}
