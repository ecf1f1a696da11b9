using System.Runtime.InteropServices;

// Mirrors of the FFmpeg structs the bindings read: only the fields read. A field at one offset in every major the
// bindings know (FFmpeg 4 to 9) is a field here, at that offset; a field that moved between majors is a property that
// reads it at the offset of the loaded major (LibAvLayout.Current). Names are the C names, so the layout test
// (tests/…/Video/FFmpegLayoutTests.cs) can compile offsetof() for each against the headers and compare. Fields here are
// never written (the one field written, AVCodecContext.skip_frame, is written by FFmpegStream at the layout's offset),
// and the structs are never allocated or copied here: FFmpeg allocates them, and the properties read through the address
// of the struct they are called on, which is FFmpeg's.
#pragma warning disable IDE1006 // C field names on purpose (see above).

namespace Video2TfRecord.Video.Native;

/// <summary>libavutil's rational number.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct AVRational
{
    public int num;
    public int den;

    /// <summary>The value as a double, or 0 when the denominator is 0.</summary>
    public readonly double ToDouble() => den == 0 ? 0 : (double)num / den;
}

/// <summary>A demuxer's description (<c>AVInputFormat</c>).</summary>
[StructLayout(LayoutKind.Explicit)]
internal unsafe struct AVInputFormat
{
    [FieldOffset(0)] public byte* name;
}

/// <summary>An opened container (<c>AVFormatContext</c>).</summary>
[StructLayout(LayoutKind.Explicit)]
internal unsafe struct AVFormatContext
{
    [FieldOffset(8)] public AVInputFormat* iformat;
    [FieldOffset(48)] public AVStream** streams;

    public readonly long duration => NativeField.Read<AVFormatContext, long>(in this, LibAvLayout.Current.FormatDuration);
}

/// <summary>One stream of a container (<c>AVStream</c>); every field read moved between majors (<c>codecpar</c> is at byte 208 up to 5.x, 16 from 6.x).</summary>
[StructLayout(LayoutKind.Explicit)]
internal unsafe struct AVStream
{
    public readonly AVRational time_base => NativeField.Read<AVStream, AVRational>(in this, LibAvLayout.Current.StreamTimeBase);

    public readonly long duration => NativeField.Read<AVStream, long>(in this, LibAvLayout.Current.StreamDuration);

    public readonly long nb_frames => NativeField.Read<AVStream, long>(in this, LibAvLayout.Current.StreamFrames);

    public readonly AVCodecParameters* codecpar => (AVCodecParameters*)NativeField.Read<AVStream, nint>(in this, LibAvLayout.Current.StreamCodecParameters);
}

/// <summary>A stream's codec parameters (<c>AVCodecParameters</c>).</summary>
[StructLayout(LayoutKind.Explicit)]
internal unsafe struct AVCodecParameters
{
    [FieldOffset(4)] public int codec_id;
    [FieldOffset(16)] public byte* extradata;
    [FieldOffset(24)] public int extradata_size;

    public readonly int width => NativeField.Read<AVCodecParameters, int>(in this, LibAvLayout.Current.CodecParametersWidth);

    public readonly int height => NativeField.Read<AVCodecParameters, int>(in this, LibAvLayout.Current.CodecParametersHeight);

    public readonly void* coded_side_data => (void*)NativeField.Read<AVCodecParameters, nint>(in this, LibAvLayout.Current.CodecParametersCodedSideData);

    public readonly int nb_coded_side_data => NativeField.Read<AVCodecParameters, int>(in this, LibAvLayout.Current.CodecParametersCodedSideDataCount);
}

/// <summary>A channel layout (<c>AVChannelLayout</c>, new in 5.1): allocated here for the resampler's output, so whole.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
internal unsafe struct AVChannelLayout
{
    [FieldOffset(0)] public int order;
    [FieldOffset(4)] public int nb_channels;
    [FieldOffset(8)] public ulong u;
    [FieldOffset(16)] public void* opaque;
}

/// <summary>One demuxed packet (<c>AVPacket</c>).</summary>
[StructLayout(LayoutKind.Explicit)]
internal unsafe struct AVPacket
{
    [FieldOffset(8)] public long pts;
    [FieldOffset(16)] public long dts;
    [FieldOffset(24)] public byte* data;
    [FieldOffset(32)] public int size;
    [FieldOffset(36)] public int stream_index;
    [FieldOffset(40)] public int flags;
}

/// <summary>One decoded picture or run of audio samples (<c>AVFrame</c>); <c>data</c> and <c>linesize</c> are the first of 8 planes each.</summary>
[StructLayout(LayoutKind.Explicit)]
internal unsafe struct AVFrame
{
    [FieldOffset(0)] public byte* data;
    [FieldOffset(64)] public int linesize;
    [FieldOffset(96)] public byte** extended_data;
    [FieldOffset(104)] public int width;
    [FieldOffset(108)] public int height;
    [FieldOffset(112)] public int nb_samples;
    [FieldOffset(116)] public int format;
    [FieldOffset(136)] public long pts;

    public readonly int sample_rate => NativeField.Read<AVFrame, int>(in this, LibAvLayout.Current.FrameSampleRate);

    public readonly long best_effort_timestamp => NativeField.Read<AVFrame, long>(in this, LibAvLayout.Current.FrameBestEffortTimestamp);

    public readonly int decode_error_flags => NativeField.Read<AVFrame, int>(in this, LibAvLayout.Current.FrameDecodeErrorFlags);

    /// <summary>The address of <c>ch_layout</c> (FFmpeg 5.1 on).</summary>
    public readonly AVChannelLayout* ch_layout => (AVChannelLayout*)NativeField.Address(in this, LibAvLayout.Current.FrameChannelLayout);

    /// <summary><c>channel_layout</c>, FFmpeg 4's 64-bit channel mask.</summary>
    public readonly ulong channel_layout => NativeField.Read<AVFrame, ulong>(in this, LibAvLayout.Current.FrameChannelMask);

    /// <summary><c>channels</c> of FFmpeg 4.</summary>
    public readonly int channels => NativeField.Read<AVFrame, int>(in this, LibAvLayout.Current.FrameChannels);
}

/// <summary>How one component of a pixel format is stored (<c>AVComponentDescriptor</c>).</summary>
[StructLayout(LayoutKind.Explicit)]
internal struct AVComponentDescriptor
{
    [FieldOffset(16)] public int depth;
}

/// <summary>A pixel format's description (<c>AVPixFmtDescriptor</c>); <c>comp</c> is the first of 4 components.</summary>
[StructLayout(LayoutKind.Explicit)]
internal struct AVPixFmtDescriptor
{
    [FieldOffset(24)] public AVComponentDescriptor comp;
}
