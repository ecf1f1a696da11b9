using System.Runtime.InteropServices;

namespace Video2TfRecord.Video.Native;

/// <summary>
/// The functions of FFmpeg 4 to 9 the decoder and the audio reader call. They are bound by logical names (avformat,
/// avcodec, …) that <see cref="FFmpegLibraries"/> resolves to the one set of sonames it loaded, so that no <c>-dev</c>
/// package is needed at run time and the libraries of two majors are never mixed.
/// </summary>
/// <remarks>
/// Opaque types (<c>AVCodec</c>, <c>AVCodecContext</c>, <c>SwsContext</c>) stay <c>void*</c>: nothing reads their
/// fields; codec options are set through <c>av_opt_set_int</c> by name, but for <c>AVCodecContext.skip_frame</c>, which
/// is switched per packet and written at the layout's offset. A function only some majors have is declared
/// here all the same (binding happens at the first call) and called only where <see cref="LibAvLayout"/> says the
/// loaded major has it. The constants are the same in every major (checked against the headers by the layout test);
/// the one that is not, <c>AV_PIX_FMT_BGR48LE</c>, is in the layout.
/// </remarks>
internal static unsafe partial class LibAv
{
    public const string AvFormat = "avformat";
    public const string AvCodec = "avcodec";
    public const string AvUtil = "avutil";
    public const string SwScale = "swscale";
    public const string SwResample = "swresample";

    public const int AVMEDIA_TYPE_VIDEO = 0;
    public const int AVMEDIA_TYPE_AUDIO = 1;
    public const int AV_SAMPLE_FMT_FLT = 3;
    public const int AV_PKT_FLAG_KEY = 1;
    public const int AV_PKT_FLAG_CORRUPT = 2;
    public const int AV_PKT_FLAG_DISCARD = 4;
    public const int AVSEEK_FLAG_BACKWARD = 1;
    public const int AV_PKT_DATA_DISPLAYMATRIX = 5;
    public const int AV_LOG_QUIET = -8;
    public const int AV_PIX_FMT_BGR24 = 3;
    public const int SWS_BILINEAR = 2;
    public const int SWS_BICUBIC = 4;
    public const int SWS_AREA = 32;
    public const int AVERROR_EOF = -541478725;
    public const int AVERROR_EAGAIN = -11;
    public const long AV_NOPTS_VALUE = long.MinValue;
    public const int AVDISCARD_DEFAULT = 0;
    public const int AVDISCARD_NONREF = 8;
    public const int AV_CODEC_ID_MPEG1VIDEO = 1;
    public const int AV_CODEC_ID_MPEG2VIDEO = 2;
    public const int AV_CODEC_ID_H264 = 27;

    [LibraryImport(AvFormat)] public static partial uint avformat_version();
    [LibraryImport(AvFormat, StringMarshalling = StringMarshalling.Utf8)] public static partial int avformat_open_input(AVFormatContext** context, string url, void* format, void** options);
    [LibraryImport(AvFormat)] public static partial int avformat_find_stream_info(AVFormatContext* context, void** options);
    [LibraryImport(AvFormat)] public static partial int av_find_best_stream(AVFormatContext* context, int type, int wanted, int related, void** decoder, int flags);
    [LibraryImport(AvFormat)] public static partial int av_read_frame(AVFormatContext* context, AVPacket* packet);
    [LibraryImport(AvFormat)] public static partial int av_seek_frame(AVFormatContext* context, int stream, long timestamp, int flags);
    [LibraryImport(AvFormat)] public static partial void avformat_close_input(AVFormatContext** context);
    [LibraryImport(AvFormat)] public static partial AVRational av_guess_frame_rate(AVFormatContext* context, AVStream* stream, AVFrame* frame);
    // FFmpeg 4 to 7 (the size is an int* in 4: the caller zeroes the nuint, and little-endian reads the same value).
    [LibraryImport(AvFormat)] public static partial byte* av_stream_get_side_data(AVStream* stream, int type, nuint* size);

    [LibraryImport(AvCodec)] public static partial uint avcodec_version();
    [LibraryImport(AvCodec)] public static partial void* avcodec_find_decoder(int id);
    [LibraryImport(AvCodec)] public static partial void* avcodec_alloc_context3(void* codec);
    [LibraryImport(AvCodec)] public static partial void avcodec_free_context(void** context);
    [LibraryImport(AvCodec)] public static partial int avcodec_parameters_to_context(void* context, AVCodecParameters* parameters);
    [LibraryImport(AvCodec)] public static partial int avcodec_open2(void* context, void* codec, void** options);
    [LibraryImport(AvCodec)] public static partial int avcodec_send_packet(void* context, AVPacket* packet);
    [LibraryImport(AvCodec)] public static partial int avcodec_receive_frame(void* context, AVFrame* frame);
    [LibraryImport(AvCodec)] public static partial void avcodec_flush_buffers(void* context);
    [LibraryImport(AvCodec)] public static partial AVPacket* av_packet_alloc();
    [LibraryImport(AvCodec)] public static partial void av_packet_free(AVPacket** packet);
    [LibraryImport(AvCodec)] public static partial void av_packet_unref(AVPacket* packet);

    // FFmpeg 6.1 on: an entry of AVCodecParameters.coded_side_data (an AVPacketSideData: data at 0, size at 8).
    [LibraryImport(AvCodec)] public static partial byte* av_packet_side_data_get(void* sideData, int count, int type);

    [LibraryImport(AvUtil)] public static partial uint avutil_version();
    [LibraryImport(AvUtil)] public static partial AVFrame* av_frame_alloc();
    [LibraryImport(AvUtil)] public static partial void av_frame_free(AVFrame** frame);
    [LibraryImport(AvUtil)] public static partial void av_frame_unref(AVFrame* frame);
    [LibraryImport(AvUtil)] public static partial void av_log_set_level(int level);
    [LibraryImport(AvUtil, StringMarshalling = StringMarshalling.Utf8)] public static partial int av_opt_set_int(void* target, string name, long value, int searchFlags);
    [LibraryImport(AvUtil)] public static partial double av_display_rotation_get(int* matrix);
    [LibraryImport(AvUtil)] public static partial AVPixFmtDescriptor* av_pix_fmt_desc_get(int format);
    // FFmpeg 4 to 6: the channel mask of the default layout of a channel count (removed in 7).
    [LibraryImport(AvUtil)] public static partial long av_get_default_channel_layout(int channels);

    [LibraryImport(AvUtil)] public static partial void av_channel_layout_default(AVChannelLayout* layout, int channels);
    [LibraryImport(AvUtil)] public static partial int av_channel_layout_copy(AVChannelLayout* destination, AVChannelLayout* source);
    [LibraryImport(AvUtil)] public static partial void av_channel_layout_uninit(AVChannelLayout* layout);

    [LibraryImport(SwScale)] public static partial uint swscale_version();
    [LibraryImport(SwScale)]
    public static partial void* sws_getCachedContext(void* context, int sourceWidth, int sourceHeight, int sourceFormat,
        int width, int height, int format, int flags, void* sourceFilter, void* filter, double* parameters);
    [LibraryImport(SwScale)] public static partial int sws_scale(void* context, byte** source, int* sourceStride, int sliceY, int sliceHeight, byte** destination, int* destinationStride);
    [LibraryImport(SwScale)] public static partial void sws_freeContext(void* context);

    [LibraryImport(SwResample)] public static partial uint swresample_version();
    [LibraryImport(SwResample)]
    public static partial int swr_alloc_set_opts2(void** context, AVChannelLayout* layout, int format, int rate,
        AVChannelLayout* sourceLayout, int sourceFormat, int sourceRate, int logOffset, void* logContext);
    // FFmpeg 4 to 6: a resampler from channel masks (swr_alloc_set_opts2 takes layouts from 5.1 on).
    [LibraryImport(SwResample)]
    public static partial void* swr_alloc_set_opts(void* context, long outputLayout, int outputFormat, int outputRate, long inputLayout, int inputFormat, int inputRate,
        int logOffset, void* logContext);

    [LibraryImport(SwResample)] public static partial int swr_init(void* context);
    [LibraryImport(SwResample)] public static partial int swr_convert(void* context, byte** output, int outputCount, byte** input, int inputCount);
    [LibraryImport(SwResample)] public static partial void swr_free(void** context);

    /// <summary>"major.minor.micro" of a packed <c>*_version()</c> value.</summary>
    public static string VersionText(uint version) => $"{version >> 16}.{(version >> 8) & 0xFF}.{version & 0xFF}";
}
