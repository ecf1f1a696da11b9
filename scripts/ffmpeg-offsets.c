/*
 * Prints, for the FFmpeg headers it is compiled against, the library versions and the offsetof/sizeof of every struct
 * field the .NET bindings read (src/Video2TfRecord/Video/Native/LibAvStructs.cs), the fields a major reads instead
 * where one removed or lacks them, and the constants the bindings use. One file for every major from FFmpeg 4.x
 * (libavcodec 58) on: a field a major does not have prints "absent". Output: "Struct.field VALUE" lines.
 *   gcc -I "$(scripts/ffmpeg-headers.sh 61 /tmp/ff61)/include" scripts/ffmpeg-offsets.c -o /tmp/offsets && /tmp/offsets
 * scripts/ffmpeg-layouts.sh runs it for every major and writes docs/ffmpeg-layouts.md.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/frame.h>
#include <libavutil/log.h>
#include <libavutil/pixdesc.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>

#define OFF(type, field) printf("%s.%s %zu\n", #type, #field, offsetof(type, field))
#define SIZE(type) printf("sizeof(%s) %zu\n", #type, sizeof(type))
#define FSIZE(type, field) printf("sizeof(%s.%s) %zu\n", #type, #field, sizeof(((type *)0)->field))
#define ABSENT(name) printf("%s absent\n", name)
#define VALUE(name, value) printf("%s %lld\n", name, (long long)(value))

/* AVChannelLayout and its API came with libavutil 57.24 (FFmpeg 5.1); its macros say whether the headers have it. */
#if defined(AV_CHANNEL_LAYOUT_MONO)
#define HAVE_CH_LAYOUT 1
#else
#define HAVE_CH_LAYOUT 0
#endif

int main(void)
{
    printf("version libavformat %d.%d.%d\n", LIBAVFORMAT_VERSION_MAJOR, LIBAVFORMAT_VERSION_MINOR, LIBAVFORMAT_VERSION_MICRO);
    printf("version libavcodec %d.%d.%d\n", LIBAVCODEC_VERSION_MAJOR, LIBAVCODEC_VERSION_MINOR, LIBAVCODEC_VERSION_MICRO);
    printf("version libavutil %d.%d.%d\n", LIBAVUTIL_VERSION_MAJOR, LIBAVUTIL_VERSION_MINOR, LIBAVUTIL_VERSION_MICRO);
    printf("version libswscale %d.%d.%d\n", LIBSWSCALE_VERSION_MAJOR, LIBSWSCALE_VERSION_MINOR, LIBSWSCALE_VERSION_MICRO);
    printf("version libswresample %d.%d.%d\n", LIBSWRESAMPLE_VERSION_MAJOR, LIBSWRESAMPLE_VERSION_MINOR, LIBSWRESAMPLE_VERSION_MICRO);

    /* the fields LibAvStructs.cs mirrors */
    OFF(AVInputFormat, name);
    OFF(AVFormatContext, iformat);
    OFF(AVFormatContext, streams);
    OFF(AVFormatContext, duration);
    OFF(AVStream, time_base);
    OFF(AVStream, duration);
    OFF(AVStream, nb_frames);
    OFF(AVStream, codecpar);
    OFF(AVCodecParameters, codec_id);
    OFF(AVCodecParameters, extradata);
    OFF(AVCodecParameters, extradata_size);
    OFF(AVCodecParameters, width);
    OFF(AVCodecParameters, height);
#if HAVE_CH_LAYOUT
    OFF(AVChannelLayout, order);
    OFF(AVChannelLayout, nb_channels);
    OFF(AVChannelLayout, u);
    OFF(AVChannelLayout, opaque);
    SIZE(AVChannelLayout);
#else
    ABSENT("AVChannelLayout.order");
    ABSENT("AVChannelLayout.nb_channels");
    ABSENT("AVChannelLayout.u");
    ABSENT("AVChannelLayout.opaque");
    ABSENT("sizeof(AVChannelLayout)");
#endif
    OFF(AVPacket, pts);
    OFF(AVPacket, dts);
    OFF(AVPacket, data);
    OFF(AVPacket, size);
    OFF(AVPacket, stream_index);
    OFF(AVPacket, flags);
    OFF(AVFrame, data);
    OFF(AVFrame, linesize);
    OFF(AVFrame, extended_data);
    OFF(AVFrame, width);
    OFF(AVFrame, height);
    OFF(AVFrame, nb_samples);
    OFF(AVFrame, format);
    OFF(AVFrame, pts);
    OFF(AVFrame, sample_rate);
    OFF(AVFrame, best_effort_timestamp);
    OFF(AVFrame, decode_error_flags);
#if HAVE_CH_LAYOUT
    OFF(AVFrame, ch_layout);
#else
    ABSENT("AVFrame.ch_layout");
#endif
    OFF(AVComponentDescriptor, depth);
    SIZE(AVComponentDescriptor);
    OFF(AVPixFmtDescriptor, comp);
    SIZE(AVRational);

    /* what a major has instead, or besides: the old audio channel fields (removed in libavutil 59, FFmpeg 7) */
#if LIBAVUTIL_VERSION_MAJOR < 59
    OFF(AVFrame, channel_layout);
    FSIZE(AVFrame, channel_layout);
    OFF(AVFrame, channels);
#else
    ABSENT("AVFrame.channel_layout");
    ABSENT("sizeof(AVFrame.channel_layout)");
    ABSENT("AVFrame.channels");
#endif
    /* key frame: AVFrame.key_frame until libavutil 60 (FFmpeg 8); AV_FRAME_FLAG_KEY in AVFrame.flags from 58.25 (6.1) */
#if LIBAVUTIL_VERSION_MAJOR < 60
    OFF(AVFrame, key_frame);
#else
    ABSENT("AVFrame.key_frame");
#endif
    OFF(AVFrame, flags);
#ifdef AV_FRAME_FLAG_KEY
    VALUE("AV_FRAME_FLAG_KEY", AV_FRAME_FLAG_KEY);
#else
    ABSENT("AV_FRAME_FLAG_KEY");
#endif
    /* duration: AVFrame.pkt_duration until libavutil 59 (FFmpeg 7); AVFrame.duration from 57.30 (FFmpeg 6.0) */
#if LIBAVUTIL_VERSION_MAJOR < 59
    OFF(AVFrame, pkt_duration);
#else
    ABSENT("AVFrame.pkt_duration");
#endif
#if LIBAVUTIL_VERSION_INT >= AV_VERSION_INT(57, 30, 100)
    OFF(AVFrame, duration);
#else
    ABSENT("AVFrame.duration");
#endif
    OFF(AVFrame, pkt_dts);
    OFF(AVPacket, duration);
    SIZE(AVFrame);
    SIZE(AVPacket);

    /* AVCodecContext: the bindings set "threads" by av_opt_set_int and read no field; they write skip_frame per packet
       (issue 24); the others are for reference */
    OFF(AVCodecContext, skip_frame);
    OFF(AVCodecContext, thread_count);
#if LIBAVCODEC_VERSION_MAJOR < 61
    OFF(AVCodecContext, frame_number);
#else
    ABSENT("AVCodecContext.frame_number");
#endif
#if LIBAVCODEC_VERSION_MAJOR >= 60
    OFF(AVCodecContext, frame_num);
#else
    ABSENT("AVCodecContext.frame_num");
#endif

    /* rotation: av_stream_get_side_data() and AVStream.side_data until libavformat 62 (FFmpeg 8); the stream's
       codecpar->coded_side_data with av_packet_side_data_get() from libavcodec 60.29 (FFmpeg 6.1) */
#if LIBAVFORMAT_VERSION_MAJOR < 62
    OFF(AVStream, side_data);
    OFF(AVStream, nb_side_data);
#else
    ABSENT("AVStream.side_data");
    ABSENT("AVStream.nb_side_data");
#endif
#if LIBAVCODEC_VERSION_INT >= AV_VERSION_INT(60, 29, 100)
    OFF(AVCodecParameters, coded_side_data);
    OFF(AVCodecParameters, nb_coded_side_data);
#else
    ABSENT("AVCodecParameters.coded_side_data");
    ABSENT("AVCodecParameters.nb_coded_side_data");
#endif
    OFF(AVPacketSideData, data);
    OFF(AVPacketSideData, size);
    OFF(AVPacketSideData, type);
    SIZE(AVPacketSideData);

    /* the constants LibAv.cs uses */
    VALUE("AVMEDIA_TYPE_VIDEO", AVMEDIA_TYPE_VIDEO);
    VALUE("AVMEDIA_TYPE_AUDIO", AVMEDIA_TYPE_AUDIO);
    VALUE("AV_SAMPLE_FMT_FLT", AV_SAMPLE_FMT_FLT);
    VALUE("AV_PKT_FLAG_KEY", AV_PKT_FLAG_KEY);
    VALUE("AV_PKT_FLAG_CORRUPT", AV_PKT_FLAG_CORRUPT);
    VALUE("AV_PKT_FLAG_DISCARD", AV_PKT_FLAG_DISCARD);
    VALUE("AVSEEK_FLAG_BACKWARD", AVSEEK_FLAG_BACKWARD);
    VALUE("AV_PKT_DATA_DISPLAYMATRIX", AV_PKT_DATA_DISPLAYMATRIX);
    VALUE("AV_LOG_QUIET", AV_LOG_QUIET);
    VALUE("AV_PIX_FMT_BGR24", AV_PIX_FMT_BGR24);
    VALUE("AV_PIX_FMT_BGR48LE", AV_PIX_FMT_BGR48LE);
    VALUE("SWS_BILINEAR", SWS_BILINEAR);
    VALUE("SWS_AREA", SWS_AREA);
    VALUE("AVERROR_EOF", AVERROR_EOF);
    VALUE("AVERROR_EAGAIN", AVERROR(EAGAIN));
    VALUE("AV_NOPTS_VALUE", AV_NOPTS_VALUE);
    VALUE("AVDISCARD_DEFAULT", AVDISCARD_DEFAULT);
    VALUE("AVDISCARD_NONREF", AVDISCARD_NONREF);
    VALUE("AV_CODEC_ID_MPEG1VIDEO", AV_CODEC_ID_MPEG1VIDEO);
    VALUE("AV_CODEC_ID_MPEG2VIDEO", AV_CODEC_ID_MPEG2VIDEO);
    VALUE("AV_CODEC_ID_H264", AV_CODEC_ID_H264);
    return 0;
}
