using OpenCvSharp;
using Video2TfRecord.Frames;
using Video2TfRecord.Video.Native;

namespace Video2TfRecord.Video;

/// <summary>
/// One video opened through the system's FFmpeg: counted by its shown packets, decoded by presentation time, seeking
/// over gaps where the container's index makes seeks exact, skipping pictures nothing references and nobody keeps, and
/// stopping after the last frame asked for.
/// </summary>
/// <remarks>
/// Every decoded frame is identified by its timestamp in the <see cref="FrameTable"/>, never by how many frames came
/// before it: a seek that lands elsewhere, a frame the decoder drops, or an edit list cannot shift an index. When a
/// wanted frame never arrives the file is damaged: one sequential pass finds the frames that do decode, and the
/// sampling is planned again from them (<see cref="IVideoSource.Decode"/>). Streams whose packets carry no usable
/// timestamps are counted and decoded in order, as the OpenCV backend does. The packets are read and decoded by an
/// <see cref="FFmpegStream"/>, counted by <see cref="PacketCounter"/>, and the kept frames converted once, straight to
/// the scaled size, by a <see cref="PictureConverter"/>.
/// </remarks>
internal sealed class FFmpegVideo : IVideoSource
{
    private readonly int _threads;
    private readonly FFmpegStream _stream;
    private readonly PictureConverter? _pictures;
    private readonly Counting _counting;
    private readonly bool _skipUnreferenced;
    private FrameTable? _table;
    private bool _seekable;
    private bool _recounted;
    private bool _disposed;

    public FFmpegVideo(string path, int threads, FrameResize resize, bool deep, CancellationToken cancellationToken, CountedVideos? counted = null,
        bool skipUnreferenced = true)
    {
        (_threads, _skipUnreferenced) = (threads, skipUnreferenced);
        _stream = new FFmpegStream(path, threads);
        try
        {
            if (counted?.Find(path) is { } known)
            {
                // Counted before (another clip of this video): the demuxer is opened when decoding starts.
                _counting = known;
            }
            else
            {
                _counting = PacketCounter.Count(_stream, cancellationToken);
                if (!_counting.Seekable || _counting.Table is not { } table || table.KeyframeBefore(0) != 0)
                {
                    // Only an indexed container whose first shown frame is a keyframe is rewound for the first decode;
                    // anything else is opened afresh.
                    _stream.Close();
                }

                counted?.Add(path, _counting);
            }

            (Info, _table, _seekable) = (_counting.Info, _counting.Table, _counting.Seekable);
            _pictures = new PictureConverter(path, resize, deep, _counting.Rotation);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public VideoInfo Info { get; private set; }

    /// <summary>
    /// The first shown frame's presentation time in the container's seconds (after a recount, the first that decodes);
    /// without usable presentation times, the first shown packet's decode time.
    /// </summary>
    public double? ClockOriginSeconds => _table is { } table ? table.PtsOf(0) * _counting.SecondsPerTick : _counting.FirstDtsSeconds;

    /// <summary>Frames the decoder returned so far, over every pass (what seeking and stopping early save is visible here).</summary>
    internal int FramesDecoded => _stream.FramesDecoded;

    /// <summary>Packets sent with the decoder told to skip them if nothing references them, over every pass.</summary>
    internal int PacketsSkipped => _stream.PacketsSkipped;

    // Seeking costs a decoder flush; only worth it when it skips more frames than the threads hold in flight.
    private int SeekGap => _threads + 2;

    public DecodeSummary Decode(ReadOnlySpan<int> wanted, FrameVisitor visitor, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(visitor);
        if (_table is not { } table)
        {
            return DecodeInOrder(wanted, visitor, cancellationToken);
        }

        if (_counting.Corrupt && !_recounted)
        {
            // The demuxer flagged a packet as cut or damaged (a truncated file's last one): its count is not to be
            // trusted, so count the frames that decode before anything is sampled.
            return Recount(table, cancellationToken);
        }

        // Pictures nothing references are skipped unless kept (issue 24); a kept frame that then goes missing is looked for
        // in a full decode before the stream is called damaged, and a seek that misses in a sequential decode. Frames
        // already handed out are not handed out again: each pass goes on from the first one still wanted.
        var next = 0;
        var skipping = _skipUnreferenced && table.HasUnreferenced;
        var outcome = DecodeByTime(table, wanted, ref next, skipping, visitor, cancellationToken);
        while (outcome != Outcome.Complete && !_recounted)
        {
            if (skipping)
            {
                skipping = false;
            }
            else if (outcome == Outcome.SeekMissed)
            {
                _seekable = false;
            }
            else
            {
                break;
            }

            outcome = DecodeByTime(table, wanted, ref next, skipping, visitor, cancellationToken);
        }

        if (outcome == Outcome.Complete || _recounted)
        {
            return new DecodeSummary(table.Count, table.TimestampsUs);
        }

        return Recount(table, cancellationToken);
    }

    public void Dispose()
    {
        _disposed = true;
        _stream.Dispose();
        _pictures?.Dispose();
    }

    /// <summary>
    /// Opens <paramref name="path"/> and decodes every frame with one thread, counting nothing beforehand and converting
    /// nothing: the floor any conversion is measured against (bench/throughput.sh). With
    /// <paramref name="referencesOnly"/> every packet is sent with <c>skip_frame</c> at <c>AVDISCARD_NONREF</c>, so only
    /// the pictures other pictures may reference are decoded (and counted).
    /// </summary>
    internal static int DecodeEverything(string path, bool referencesOnly = false)
    {
        if (FFmpegLibraries.Problem is { } problem)
        {
            throw new NotSupportedException(problem);
        }

        using var stream = new FFmpegStream(path, 1) { Skip = referencesOnly ? _ => true : null };
        stream.OpenDecoder();
        var count = 0;
        while (stream.ReceiveFrame())
        {
            count++;
        }

        return count;
    }

    private enum Outcome
    {
        Complete,
        Lost,
        SeekMissed,
    }

    private Outcome DecodeByTime(FrameTable table, ReadOnlySpan<int> wanted, ref int next, bool skipping, FrameVisitor visitor, CancellationToken cancellationToken)
    {
        skipping &= !_recounted;
        _stream.Skip = skipping ? SkipUnkept(table, wanted) : null;
        // A rewind is a seek like any other: trusted only when the first frame it gives is identified at or before
        // the first one wanted.
        var landing = _stream.IsOpen && !_recounted && _stream.Rewind(table.PtsOf(0));
        if (!landing)
        {
            _stream.OpenDecoder();
        }

        var last = -1;
        while (next < wanted.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var target = wanted[next];
            if (_seekable && !_recounted && table.KeyframeBefore(target) is var key and >= 0 && key > last + SeekGap)
            {
                if (_stream.Seek(table.PtsOf(key)))
                {
                    (last, landing) = (key - 1, true);
                }
                else
                {
                    _seekable = false;
                }
            }

            if (!_stream.ReceiveFrame())
            {
                break;
            }

            if (skipping && _stream.FrameConcealed)
            {
                // Damage: a decoder that meets it may take state from the pictures that were skipped (frame_num gaps,
                // references it conceals from), so from here the frames are those of a full decode.
                return Outcome.Lost;
            }

            var pts = _stream.FramePts;
            var index = table.IndexOf(pts);
            if (index < 0)
            {
                if (table.IsDiscarded(pts) || _recounted)
                {
                    continue;
                }

                return Outcome.Lost;
            }

            if (landing)
            {
                // A seek is trusted only when it lands at or before the frame asked for.
                landing = false;
                if (index > target)
                {
                    return Outcome.SeekMissed;
                }
            }

            if (index > target)
            {
                return Outcome.Lost;
            }

            last = Math.Max(last, index);
            if (index == target)
            {
                visitor(index, table.TimestampsUs[index], Picture(index));
                next++;
            }
        }

        return next == wanted.Length ? Outcome.Complete : Outcome.Lost;
    }

    // Skips the packets of pictures nothing references and nobody asked for; every other packet is decoded as before.
    private static Func<long, bool> SkipUnkept(FrameTable table, ReadOnlySpan<int> wanted)
    {
        var kept = new bool[table.Count];
        foreach (var index in wanted)
        {
            kept[index] = true;
        }

        return pts => table.IndexOf(pts) is var index and >= 0 && !kept[index] && table.IsUnreferenced(index);
    }

    // One sequential pass over everything: which counted frames decode. The sampling is then planned from those.
    private DecodeSummary Recount(FrameTable table, CancellationToken cancellationToken)
    {
        _stream.Skip = null;
        _stream.OpenDecoder();
        var decoded = new bool[table.Count];
        var count = 0;
        while (_stream.ReceiveFrame())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var index = table.IndexOf(_stream.FramePts);
            if (index >= 0 && !decoded[index])
            {
                decoded[index] = true;
                count++;
            }
        }

        _stream.Close();
        _recounted = true;
        if (count == 0)
        {
            return new DecodeSummary(0, []);
        }

        var (kept, lost) = table.Keep(decoded);
        _table = kept;
        Info = Info with { FrameCount = kept.Count, TimestampsUs = kept.TimestampsUs };
        return new DecodeSummary(kept.Count, kept.TimestampsUs, lost);
    }

    // No usable timestamps: frames are numbered in the order they decode, and the decode goes to the end to count them.
    private DecodeSummary DecodeInOrder(ReadOnlySpan<int> wanted, FrameVisitor visitor, CancellationToken cancellationToken)
    {
        _stream.Skip = null;
        _stream.OpenDecoder();
        var step = Info.Fps > 0 ? 1e6 / Info.Fps : 0;
        var times = new List<long>(Info.FrameCount);
        var next = 0;
        long first = LibAv.AV_NOPTS_VALUE;
        while (_stream.ReceiveFrame())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pts = _stream.FramePts;
            if (times.Count == 0)
            {
                first = pts;
            }

            var us = pts != LibAv.AV_NOPTS_VALUE && first != LibAv.AV_NOPTS_VALUE
                ? (long)Math.Round((pts - first) * _counting.SecondsPerTick * 1e6)
                : -1;
            if (times.Count > 0 && us <= times[^1])
            {
                us = times[^1] + (long)Math.Round(step);
            }

            var index = times.Count;
            times.Add(Math.Max(0, us));
            if (next < wanted.Length && wanted[next] == index)
            {
                visitor(index, times[index], Picture(index));
                next++;
            }
        }

        _stream.Close();
        return new DecodeSummary(times.Count, times);
    }

    // The picture is converted only when kept; the converter exists once counting succeeded, before any decode.
    private unsafe Mat Picture(int index) => _pictures!.Convert(_stream.Frame, index);
}
