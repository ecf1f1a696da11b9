using Video2TfRecord.Video.Native;

namespace Video2TfRecord.Video;

/// <summary>
/// The video stream of one file as libavformat and libavcodec open it: the demuxer, the decoder, and the packet and
/// frame they hand each other, with their native lifetime. Reads packets, pumps them into the decoder and receives
/// frames; what the frames are is the caller's business.
/// </summary>
/// <remarks>
/// The demuxer and the decoder are opened and closed as decoding needs (a count, a decode from the start, a rewind);
/// the packet and the frame live as long as this. After <see cref="Dispose"/> every member that would reach native code
/// throws <see cref="ObjectDisposedException"/>.
/// </remarks>
internal sealed unsafe class FFmpegStream : IDisposable
{
    private readonly int _threads;
    private AVFormatContext* _format;
    private void* _codec;
    private AVPacket* _packet;
    private AVFrame* _frame;
    private int _index;
    private int _discard;
    private bool _draining;
    private bool _disposed;

    /// <summary>Allocates the packet and the frame; nothing is opened yet.</summary>
    /// <param name="path">The video file.</param>
    /// <param name="threads">Decoder threads.</param>
    /// <exception cref="VideoReadException">The file is missing, empty or unreadable.</exception>
    public FFmpegStream(string path, int threads)
    {
        (Path, _threads) = (path, threads);
        VideoFile.CheckReadable(path);
        _packet = LibAv.av_packet_alloc();
        _frame = LibAv.av_frame_alloc();
    }

    /// <summary>The video file.</summary>
    public string Path { get; }

    /// <summary>Whether a demuxer is open.</summary>
    public bool IsOpen => _format is not null;

    /// <summary>The open demuxer.</summary>
    public AVFormatContext* Format => Live(_format);

    /// <summary>The video stream of the open demuxer: the one FFmpeg ranks best.</summary>
    public AVStream* Stream => Live(_format)->streams[_index];

    /// <summary>The packet <see cref="ReadPacket"/> read.</summary>
    public AVPacket* Packet => Live(_packet);

    /// <summary>The frame <see cref="ReceiveFrame"/> received.</summary>
    public AVFrame* Frame => Live(_frame);

    /// <summary>The timestamp of the frame <see cref="ReceiveFrame"/> received, in stream ticks.</summary>
    public long FramePts
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // The frame's own packet timestamp, carried through reordering; best_effort_timestamp would replace
            // timestamps it finds implausible (a VFR mp4's) with guesses that match no packet.
            return _frame->pts != LibAv.AV_NOPTS_VALUE ? _frame->pts : _frame->best_effort_timestamp;
        }
    }

    /// <summary>Whether the decoder concealed damage in the frame <see cref="ReceiveFrame"/> received (<c>decode_error_flags</c>).</summary>
    public bool FrameConcealed => Live(_frame)->decode_error_flags != 0;

    /// <summary>Frames the decoder returned so far, over every pass (what seeking and stopping early save is visible here).</summary>
    public int FramesDecoded { get; private set; }

    /// <summary>
    /// Which packets the decoder is told to skip, by their timestamp: each packet whose picture this returns true for is
    /// sent with <c>skip_frame</c> set to <c>AVDISCARD_NONREF</c>, so the decoder drops it if (and only if) nothing
    /// references it; null skips nothing. The caller answers true only for pictures known to be unreferenced.
    /// </summary>
    public Func<long, bool>? Skip { get; set; }

    /// <summary>Packets sent with <c>skip_frame</c> set, over every pass.</summary>
    public int PacketsSkipped { get; private set; }

    /// <summary>A fresh demuxer positioned at the start (no decoder yet); the video stream is the one FFmpeg ranks best.</summary>
    /// <exception cref="VideoReadException">The file is not a video FFmpeg can open.</exception>
    public void Open()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Close();
        AVFormatContext* format = null;
        if (LibAv.avformat_open_input(&format, Path, null, null) < 0)
        {
            throw new VideoReadException(Path, VideoFile.NotAVideo);
        }

        _format = format;
        if (LibAv.avformat_find_stream_info(_format, null) < 0)
        {
            throw new VideoReadException(Path, VideoFile.NotAVideo);
        }

        _index = LibAv.av_find_best_stream(_format, LibAv.AVMEDIA_TYPE_VIDEO, -1, -1, null, 0);
        if (_index < 0)
        {
            throw new VideoReadException(Path, VideoFile.NotAVideo);
        }
    }

    /// <summary>A fresh demuxer and decoder, at the start.</summary>
    /// <exception cref="VideoReadException">The file is not a video FFmpeg can open and decode.</exception>
    public void OpenDecoder()
    {
        Open();
        OpenCodec();
    }

    /// <summary>
    /// Seeks the open demuxer (with no decoder yet: the one a count left) back to <paramref name="pts"/> and opens a
    /// decoder on it, which saves opening the file and probing its streams again; false when it has a decoder already or
    /// the seek fails (the caller reopens).
    /// </summary>
    public bool Rewind(long pts)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_codec is not null || LibAv.av_seek_frame(_format, _index, pts, LibAv.AVSEEK_FLAG_BACKWARD) < 0)
        {
            return false;
        }

        OpenCodec();
        return true;
    }

    /// <summary>
    /// Seeks to the keyframe at or before <paramref name="pts"/> (stream ticks) and empties the decoder; false when the
    /// demuxer cannot seek.
    /// </summary>
    public bool Seek(long pts)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (LibAv.av_seek_frame(_format, _index, pts, LibAv.AVSEEK_FLAG_BACKWARD) < 0)
        {
            return false;
        }

        LibAv.avcodec_flush_buffers(_codec);
        _draining = false;
        return true;
    }

    /// <summary>
    /// The next packet of the video stream into <see cref="Packet"/> (valid until the next call), without decoding it;
    /// false at the end of the file.
    /// </summary>
    public bool ReadPacket()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            LibAv.av_packet_unref(_packet);
            if (LibAv.av_read_frame(_format, _packet) < 0)
            {
                return false;
            }

            if (_packet->stream_index == _index)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// The next decoded frame into <see cref="Frame"/>, reading and sending packets as the decoder asks; false at the
    /// end. Packets the decoder rejects (damage) are skipped, as ffmpeg itself does.
    /// </summary>
    public bool ReceiveFrame()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
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

    /// <summary>Closes the decoder and the demuxer, if open; the packet and the frame stay.</summary>
    public void Close()
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

    /// <summary>Closes everything and frees the packet and the frame; idempotent.</summary>
    public void Dispose()
    {
        _disposed = true;
        Close();
        var packet = _packet;
        LibAv.av_packet_free(&packet);
        _packet = null;
        var frame = _frame;
        LibAv.av_frame_free(&frame);
        _frame = null;
    }

    private void SendPacket()
    {
        if (!ReadPacket())
        {
            // End of file (or a read error): drain the frames the decoder still holds.
            _ = LibAv.avcodec_send_packet(_codec, null);
            _draining = true;
            return;
        }

        var discard = Skip is { } skip && _packet->pts != LibAv.AV_NOPTS_VALUE && skip(_packet->pts) ? LibAv.AVDISCARD_NONREF : LibAv.AVDISCARD_DEFAULT;
        if (discard != _discard)
        {
            // skip_frame is read when the packet is sent (a frame-threaded decoder copies it into the thread that takes
            // this packet), so switching it per packet affects only this packet.
            *(int*)((byte*)_codec + LibAvLayout.Current.CodecContextSkipFrame) = discard;
            _discard = discard;
        }

        PacketsSkipped += discard == LibAv.AVDISCARD_NONREF ? 1 : 0;
        _ = LibAv.avcodec_send_packet(_codec, _packet);
        LibAv.av_packet_unref(_packet);
    }

    private void OpenCodec()
    {
        var parameters = _format->streams[_index]->codecpar;
        var codec = LibAv.avcodec_find_decoder(parameters->codec_id);
        _codec = codec is null ? null : LibAv.avcodec_alloc_context3(codec);
        if (_codec is null || LibAv.avcodec_parameters_to_context(_codec, parameters) < 0)
        {
            throw new VideoReadException(Path, VideoFile.NotAVideo);
        }

        _ = LibAv.av_opt_set_int(_codec, "threads", _threads, 0);
        if (LibAv.avcodec_open2(_codec, codec, null) < 0)
        {
            throw new VideoReadException(Path, VideoFile.NotAVideo);
        }

        _draining = false;
        _discard = LibAv.AVDISCARD_DEFAULT;
    }

    // A native pointer of this stream, refused once it is disposed (the pointer would be freed or null).
    private T* Live<T>(T* pointer)
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return pointer;
    }
}
