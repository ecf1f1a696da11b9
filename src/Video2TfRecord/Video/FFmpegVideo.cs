using System.Runtime.InteropServices;
using OpenCvSharp;
using Video2TfRecord.Frames;
using Video2TfRecord.Video.Native;

namespace Video2TfRecord.Video;

/// <summary>
/// One video opened through the system's FFmpeg: counted by its shown packets, decoded by presentation time, seeking
/// over gaps where the container's index makes seeks exact, and stopping after the last frame asked for.
/// </summary>
/// <remarks>
/// Every decoded frame is identified by its timestamp in the <see cref="FrameTable"/>, never by how many frames came
/// before it: a seek that lands elsewhere, a frame the decoder drops, or an edit list cannot shift an index. When a
/// wanted frame never arrives the file is damaged: one sequential pass finds the frames that do decode, and the
/// sampling is planned again from them (<see cref="IVideoSource.Decode"/>). Streams whose packets carry no usable
/// timestamps are counted and decoded in order, as the OpenCV backend does. Frames are converted once, by swscale,
/// straight to the scaled size, and only when kept.
/// </remarks>
internal sealed unsafe class FFmpegVideo : IVideoSource
{
    // Containers whose seeks go through a sample index (exact, to a keyframe); others are decoded sequentially.
    private static readonly string[] IndexedContainers = ["mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm"];

    private readonly string _path;
    private readonly int _threads;
    private AVFormatContext* _format;
    private void* _codec;
    private AVPacket* _packet;
    private AVFrame* _frame;
    private readonly PictureConverter? _pictures;
    private int _stream;
    private bool _draining;
    private FrameTable? _table;
    private bool _seekable;
    private bool _recounted;
    private bool _corrupt;
    private double _secondsPerTick;
    private RotateFlags? _rotation;

    public FFmpegVideo(string path, int threads, FrameResize resize, bool deep, CancellationToken cancellationToken, CountedVideos? counted = null)
        : this(path, threads)
    {
        try
        {
            if (counted?.Find(path) is { } known)
            {
                // Counted before (another clip of this video): the demuxer is opened when decoding starts.
                (Info, _table, _secondsPerTick, _seekable, _rotation, _corrupt, _firstDtsSeconds) =
                    (known.Info, known.Table, known.SecondsPerTick, known.Seekable, known.Rotation, known.Corrupt, known.FirstDtsSeconds);
            }
            else
            {
                Info = Count(cancellationToken);
                counted?.Add(path, new Counting(Info, _table, _secondsPerTick, _seekable, _rotation, _corrupt, _firstDtsSeconds));
            }

            _pictures = new PictureConverter(path, resize, deep, _rotation);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private FFmpegVideo(string path, int threads)
    {
        (_path, _threads) = (path, threads);
        VideoFile.CheckReadable(path);
        _packet = LibAv.av_packet_alloc();
        _frame = LibAv.av_frame_alloc();
        Info = new VideoInfo(path, 0, 0, 0, 0, 0, []);
    }

    public VideoInfo Info { get; private set; }

    /// <summary>
    /// Where the video's clock starts (timestamps are µs from here): the first shown frame's presentation time in the
    /// container's seconds, which the audio stream is placed against.
    /// </summary>
    internal double OriginSeconds => _table is { } table ? table.PtsOf(0) * _secondsPerTick : _firstDtsSeconds;

    private double _firstDtsSeconds;

    /// <summary>Frames the decoder returned so far, over every pass (what seeking and stopping early save is visible here).</summary>
    internal int FramesDecoded { get; private set; }

    public DecodeSummary Decode(ReadOnlySpan<int> wanted, FrameVisitor visitor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        if (_table is not { } table)
        {
            return DecodeInOrder(wanted, visitor, cancellationToken);
        }

        if (_corrupt && !_recounted)
        {
            // The demuxer flagged a packet as cut or damaged (a truncated file's last one): its count is not to be
            // trusted, so count the frames that decode before anything is sampled.
            return Recount(table, cancellationToken);
        }

        var outcome = DecodeByTime(table, wanted, visitor, cancellationToken);
        if (outcome == Outcome.SeekMissed)
        {
            _seekable = false;
            outcome = DecodeByTime(table, wanted, visitor, cancellationToken);
        }

        if (outcome == Outcome.Complete || _recounted)
        {
            return new DecodeSummary(table.Count, table.TimestampsUs);
        }

        return Recount(table, cancellationToken);
    }

    public void Dispose()
    {
        CloseFormat();
        var packet = _packet;
        LibAv.av_packet_free(&packet);
        _packet = null;
        var frame = _frame;
        LibAv.av_frame_free(&frame);
        _frame = null;
        _pictures?.Dispose();
    }

    private enum Outcome
    {
        Complete,
        Lost,
        SeekMissed,
    }

    // Reads every packet of the video stream (no decoding) and builds the frame table from them.
    private VideoInfo Count(CancellationToken cancellationToken)
    {
        OpenFormat();
        var stream = _format->streams[_stream];
        var parameters = stream->codecpar;
        _secondsPerTick = stream->time_base.ToDouble();
        var fps = LibAv.av_guess_frame_rate(_format, stream, null).ToDouble();
        _seekable = Array.IndexOf(IndexedContainers, Marshal.PtrToStringUTF8((nint)_format->iformat->name)) >= 0;
        _rotation = RotationOf(stream);
        var packets = new List<(long? Pts, bool Key, bool Discard)>();
        var dts = new List<long>();
        while (LibAv.av_read_frame(_format, _packet) >= 0)
        {
            if (_packet->stream_index == _stream)
            {
                var discard = (_packet->flags & LibAv.AV_PKT_FLAG_DISCARD) != 0;
                _corrupt |= (_packet->flags & LibAv.AV_PKT_FLAG_CORRUPT) != 0;
                packets.Add((_packet->pts == LibAv.AV_NOPTS_VALUE ? null : _packet->pts, (_packet->flags & LibAv.AV_PKT_FLAG_KEY) != 0, discard));
                if (!discard)
                {
                    dts.Add(_packet->dts);
                }

                if ((packets.Count & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            LibAv.av_packet_unref(_packet);
        }

        var headerCount = HeaderFrameCount(stream, fps);
        var (width, height) = (parameters->width, parameters->height);
        var shown = dts.Count;
        if (shown == 0)
        {
            throw new VideoReadException(_path, "the video stream holds no frames");
        }

        _table = FrameTable.Create(packets, _secondsPerTick);
        _firstDtsSeconds = dts[0] == LibAv.AV_NOPTS_VALUE ? 0 : dts[0] * _secondsPerTick;
        if (!_seekable || _table is not { } table || table.KeyframeBefore(0) != 0)
        {
            // Only an indexed container whose first shown frame is a keyframe is rewound for the first decode;
            // anything else is opened afresh.
            CloseFormat();
        }

        var timestamps = _table?.TimestampsUs ?? OrderedTimes(dts, fps);
        return new VideoInfo(_path, shown, headerCount, fps, width, height, timestamps);
    }

    // Without usable presentation times: the decode times, or the frame rate, as a forecast the decode corrects.
    private long[] OrderedTimes(List<long> dts, double fps)
    {
        var times = new long[dts.Count];
        var step = fps > 0 ? 1e6 / fps : 0;
        for (var i = 0; i < times.Length; i++)
        {
            times[i] = dts[0] != LibAv.AV_NOPTS_VALUE && dts[i] != LibAv.AV_NOPTS_VALUE && (i == 0 || dts[i] > dts[i - 1])
                ? (long)Math.Round((dts[i] - dts[0]) * _secondsPerTick * 1e6)
                : (long)Math.Round(i * step);
        }

        return times;
    }

    // What the header claims, computed as OpenCV does: nb_frames, else duration × rate.
    private int HeaderFrameCount(AVStream* stream, double fps)
    {
        var seconds = _format->duration > 0 ? _format->duration / 1e6 : stream->duration * _secondsPerTick;
        var count = stream->nb_frames > 0 ? stream->nb_frames : (long)Math.Floor(seconds * fps + 0.5);
        return (int)Math.Clamp(count, 0, int.MaxValue);
    }

    // The display matrix's rotation, applied as OpenCV applies it.
    private static RotateFlags? RotationOf(AVStream* stream)
    {
        nuint size = 0;
        var matrix = LibAv.av_stream_get_side_data(stream, LibAv.AV_PKT_DATA_DISPLAYMATRIX, &size);
        if (matrix is null || size < 36)
        {
            return null;
        }

        var degrees = -(int)Math.Round(LibAv.av_display_rotation_get((int*)matrix));
        degrees = ((degrees % 360) + 360) % 360;
        return degrees switch
        {
            90 => RotateFlags.Rotate90Clockwise,
            180 => RotateFlags.Rotate180,
            270 => RotateFlags.Rotate90Counterclockwise,
            _ => null,
        };
    }

    private Outcome DecodeByTime(FrameTable table, ReadOnlySpan<int> wanted, FrameVisitor visitor, CancellationToken cancellationToken)
    {
        // A rewind is a seek like any other: trusted only when the first frame it gives is identified at or before
        // the first one wanted.
        var landing = _format is not null && !_recounted && Rewind(table);
        if (!landing)
        {
            OpenDecoder();
        }

        var next = 0;
        var last = -1;
        while (next < wanted.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var target = wanted[next];
            if (_seekable && !_recounted && table.KeyframeBefore(target) is var key and >= 0 && key > last + SeekGap)
            {
                if (LibAv.av_seek_frame(_format, _stream, table.PtsOf(key), LibAv.AVSEEK_FLAG_BACKWARD) >= 0)
                {
                    LibAv.avcodec_flush_buffers(_codec);
                    _draining = false;
                    (last, landing) = (key - 1, true);
                }
                else
                {
                    _seekable = false;
                }
            }

            if (!ReceiveFrame())
            {
                break;
            }

            var index = table.IndexOf(FramePts);
            if (index < 0)
            {
                if (table.IsDiscarded(FramePts) || _recounted)
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
                visitor(index, table.TimestampsUs[index], _pictures!.Convert(_frame, index));
                next++;
            }
        }

        return next == wanted.Length ? Outcome.Complete : Outcome.Lost;
    }

    // The decoded frame's own packet timestamp, carried through reordering; best_effort_timestamp would replace
    // timestamps it finds implausible (a VFR mp4's) with guesses that match no packet.
    private long FramePts => _frame->pts != LibAv.AV_NOPTS_VALUE ? _frame->pts : _frame->best_effort_timestamp;

    // Seeking costs a decoder flush; only worth it when it skips more frames than the threads hold in flight.
    private int SeekGap => _threads + 2;

    /// <summary>
    /// Opens <paramref name="path"/> and decodes every frame with one thread, counting nothing beforehand and converting
    /// nothing: the floor any conversion is measured against (bench/throughput.sh).
    /// </summary>
    internal static int DecodeEverything(string path)
    {
        if (FFmpegLibraries.Problem is { } problem)
        {
            throw new NotSupportedException(problem);
        }

        using var video = new FFmpegVideo(path, 1);
        video.OpenDecoder();
        var count = 0;
        while (video.ReceiveFrame())
        {
            count++;
        }

        return count;
    }

    // One sequential pass over everything: which counted frames decode. The sampling is then planned from those.
    private DecodeSummary Recount(FrameTable table, CancellationToken cancellationToken)
    {
        OpenDecoder();
        var decoded = new bool[table.Count];
        var count = 0;
        while (ReceiveFrame())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var index = table.IndexOf(FramePts);
            if (index >= 0 && !decoded[index])
            {
                decoded[index] = true;
                count++;
            }
        }

        CloseFormat();
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
        OpenDecoder();
        var step = Info.Fps > 0 ? 1e6 / Info.Fps : 0;
        var times = new List<long>(Info.FrameCount);
        var next = 0;
        long first = LibAv.AV_NOPTS_VALUE;
        while (ReceiveFrame())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pts = FramePts;
            if (times.Count == 0)
            {
                first = pts;
            }

            var us = pts != LibAv.AV_NOPTS_VALUE && first != LibAv.AV_NOPTS_VALUE ? (long)Math.Round((pts - first) * _secondsPerTick * 1e6) : -1;
            if (times.Count > 0 && us <= times[^1])
            {
                us = times[^1] + (long)Math.Round(step);
            }

            var index = times.Count;
            times.Add(Math.Max(0, us));
            if (next < wanted.Length && wanted[next] == index)
            {
                visitor(index, times[index], _pictures!.Convert(_frame, index));
                next++;
            }
        }

        CloseFormat();
        return new DecodeSummary(times.Count, times);
    }

    // The next decoded frame into _frame, reading and sending packets as the decoder asks; false at the end.
    // Packets the decoder rejects (damage) are skipped, as ffmpeg itself does.
    private bool ReceiveFrame()
    {
        var errors = 0;
        while (true)
        {
            var received = LibAv.avcodec_receive_frame(_codec, _frame);
            if (received == 0)
            {
                FramesDecoded++;
                return true;
            }

            if (received == LibAv.AVERROR_EOF || _draining && received == LibAv.AVERROR_EAGAIN)
            {
                return false;
            }

            if (received != LibAv.AVERROR_EAGAIN)
            {
                // A decoding error for one frame; the next call goes on (bounded, so a broken decoder cannot spin).
                if (++errors > 1000)
                {
                    return false;
                }

                continue;
            }

            if (_draining)
            {
                return false;
            }

            SendPacket();
        }
    }

    private void SendPacket()
    {
        while (true)
        {
            if (LibAv.av_read_frame(_format, _packet) < 0)
            {
                // End of file (or a read error): drain the frames the decoder still holds.
                _ = LibAv.avcodec_send_packet(_codec, null);
                _draining = true;
                return;
            }

            var ours = _packet->stream_index == _stream;
            if (ours)
            {
                _ = LibAv.avcodec_send_packet(_codec, _packet);
            }

            LibAv.av_packet_unref(_packet);
            if (ours)
            {
                return;
            }
        }
    }

    // A fresh demuxer positioned at the start; the video stream is the one FFmpeg ranks best.
    private void OpenFormat()
    {
        CloseFormat();
        AVFormatContext* format = null;
        if (LibAv.avformat_open_input(&format, _path, null, null) < 0)
        {
            throw new VideoReadException(_path, VideoFile.NotAVideo);
        }

        _format = format;
        if (LibAv.avformat_find_stream_info(_format, null) < 0)
        {
            throw new VideoReadException(_path, VideoFile.NotAVideo);
        }

        _stream = LibAv.av_find_best_stream(_format, LibAv.AVMEDIA_TYPE_VIDEO, -1, -1, null, 0);
        if (_stream < 0)
        {
            throw new VideoReadException(_path, VideoFile.NotAVideo);
        }
    }

    // Seeks the demuxer the counting pass left open back to the first frame (a keyframe) and opens a decoder on it,
    // which saves opening the file and probing its streams again; false when the seek fails (the caller reopens).
    private bool Rewind(FrameTable table)
    {
        if (_codec is not null || LibAv.av_seek_frame(_format, _stream, table.PtsOf(0), LibAv.AVSEEK_FLAG_BACKWARD) < 0)
        {
            return false;
        }

        OpenCodec();
        return true;
    }

    // A fresh demuxer and decoder, at the start.
    private void OpenDecoder()
    {
        OpenFormat();
        OpenCodec();
    }

    private void OpenCodec()
    {
        var parameters = _format->streams[_stream]->codecpar;
        var codec = LibAv.avcodec_find_decoder(parameters->codec_id);
        _codec = codec is null ? null : LibAv.avcodec_alloc_context3(codec);
        if (_codec is null || LibAv.avcodec_parameters_to_context(_codec, parameters) < 0)
        {
            throw new VideoReadException(_path, VideoFile.NotAVideo);
        }

        _ = LibAv.av_opt_set_int(_codec, "threads", _threads, 0);
        if (LibAv.avcodec_open2(_codec, codec, null) < 0)
        {
            throw new VideoReadException(_path, VideoFile.NotAVideo);
        }

        _draining = false;
    }

    private void CloseFormat()
    {
        if (_codec is not null)
        {
            var codec = _codec;
            LibAv.avcodec_free_context(&codec);
            _codec = null;
        }

        if (_format is not null)
        {
            var format = _format;
            LibAv.avformat_close_input(&format);
            _format = null;
        }
    }
}
