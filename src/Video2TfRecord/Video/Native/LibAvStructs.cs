using System.Runtime.InteropServices;

// Mirrors of the FFmpeg 5.1 structs the bindings read: only the fields read, each at its offset in the headers of
// libavformat 59, libavcodec 59 and libavutil 57. Field names are the C names, so the layout test
// (tests/…/Video/FFmpegLayoutTests.cs) can compile offsetof() for each against the installed headers and compare.
// Fields are never written, and the structs are never allocated here: FFmpeg allocates them.
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
    [FieldOffset(72)] public long duration;
}

/// <summary>One stream of a container (<c>AVStream</c>); in 5.1 <c>codecpar</c> is at byte 208, not first as in 6.x.</summary>
[StructLayout(LayoutKind.Explicit)]
internal unsafe struct AVStream
{
    [FieldOffset(16)] public AVRational time_base;
    [FieldOffset(32)] public long duration;
    [FieldOffset(40)] public long nb_frames;
    [FieldOffset(208)] public AVCodecParameters* codecpar;
}

/// <summary>A stream's codec parameters (<c>AVCodecParameters</c>).</summary>
[StructLayout(LayoutKind.Explicit)]
internal struct AVCodecParameters
{
    [FieldOffset(4)] public int codec_id;
    [FieldOffset(56)] public int width;
    [FieldOffset(60)] public int height;
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
internal struct AVPacket
{
    [FieldOffset(8)] public long pts;
    [FieldOffset(16)] public long dts;
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
    [FieldOffset(208)] public int sample_rate;
    [FieldOffset(344)] public long best_effort_timestamp;
    [FieldOffset(448)] public AVChannelLayout ch_layout;
}

/// <summary>How one component of a pixel format is stored (<c>AVComponentDescriptor</c>).</summary>
[StructLayout(LayoutKind.Explicit, Size = 20)]
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
