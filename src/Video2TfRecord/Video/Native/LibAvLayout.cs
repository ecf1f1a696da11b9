namespace Video2TfRecord.Video.Native;

/// <summary>
/// One FFmpeg release line as the bindings see it: the sonames of its five libraries, their majors, and the offsets
/// of the struct fields that moved between majors (the others sit at one offset in every major; see LibAvStructs.cs).
/// Offsets are x86-64, from each major's headers (docs/ffmpeg-layouts.md, scripts/ffmpeg-offsets.c), checked by
/// FFmpegLayoutTests against the installed headers and by scripts/check-ffmpeg-layouts.sh against every other major's.
/// -1 marks a field the major does not have.
/// </summary>
internal sealed record LibAvLayout
{
    /// <summary>The release line, for messages: "FFmpeg 5.1".</summary>
    public required string Release { get; init; }

    /// <summary>libavformat's major.</summary>
    public required int AvFormat { get; init; }

    /// <summary>libavcodec's major (the one a layout is named by).</summary>
    public required int AvCodec { get; init; }

    /// <summary>libavutil's major.</summary>
    public required int AvUtil { get; init; }

    /// <summary>libswscale's major.</summary>
    public required int SwScale { get; init; }

    /// <summary>libswresample's major.</summary>
    public required int SwResample { get; init; }

    /// <summary>The lowest libavcodec minor whose layout this is (FFmpeg 6.0 shares 6.1's major but not its fields).</summary>
    public int MinimumAvCodecMinor { get; init; }

    /// <summary><c>AVFormatContext.duration</c>.</summary>
    public required int FormatDuration { get; init; }

    /// <summary><c>AVStream.time_base</c>.</summary>
    public required int StreamTimeBase { get; init; }

    /// <summary><c>AVStream.duration</c>.</summary>
    public required int StreamDuration { get; init; }

    /// <summary><c>AVStream.nb_frames</c>.</summary>
    public required int StreamFrames { get; init; }

    /// <summary><c>AVStream.codecpar</c>.</summary>
    public required int StreamCodecParameters { get; init; }

    /// <summary><c>AVCodecParameters.width</c>.</summary>
    public required int CodecParametersWidth { get; init; }

    /// <summary><c>AVCodecParameters.height</c>.</summary>
    public required int CodecParametersHeight { get; init; }

    /// <summary><c>AVCodecParameters.coded_side_data</c> (6.1 on), where the display matrix lives once <c>av_stream_get_side_data</c> is gone.</summary>
    public int CodecParametersCodedSideData { get; init; } = -1;

    /// <summary><c>AVCodecParameters.nb_coded_side_data</c>.</summary>
    public int CodecParametersCodedSideDataCount { get; init; } = -1;

    /// <summary><c>AVFrame.sample_rate</c>.</summary>
    public required int FrameSampleRate { get; init; }

    /// <summary><c>AVFrame.best_effort_timestamp</c>.</summary>
    public required int FrameBestEffortTimestamp { get; init; }

    /// <summary><c>AVFrame.decode_error_flags</c>: set when the decoder concealed damage in the picture.</summary>
    public required int FrameDecodeErrorFlags { get; init; }

    /// <summary><c>AVFrame.ch_layout</c> (5.1 on).</summary>
    public int FrameChannelLayout { get; init; } = -1;

    /// <summary><c>AVFrame.channel_layout</c>, the 64-bit mask of FFmpeg 4 (read only where <see cref="FrameChannelLayout"/> is absent).</summary>
    public int FrameChannelMask { get; init; } = -1;

    /// <summary><c>AVFrame.channels</c> of FFmpeg 4.</summary>
    public int FrameChannels { get; init; } = -1;

    /// <summary>
    /// <c>AVCodecContext.skip_frame</c>, the one field the bindings write: switched per packet to skip decoding pictures
    /// nothing references and nobody keeps (issue 24). A frame-threaded decoder copies it into the thread that takes the
    /// packet.
    /// </summary>
    public required int CodecContextSkipFrame { get; init; }

    /// <summary><c>sizeof(AVComponentDescriptor)</c>.</summary>
    public required int ComponentDescriptorSize { get; init; }

    /// <summary><c>AV_PIX_FMT_BGR48LE</c>: 60 in FFmpeg 4, 58 after (two formats were dropped before it).</summary>
    public required int PixelFormatBgr48Le { get; init; }

    /// <summary>
    /// Whether swscale gets 16-bit RGB wrong when it does not scale rows but interpolates chroma rows (a 4:2:0 source
    /// kept at its height with the area or bilinear filter): FFmpeg 8.0's libswscale 9 shifts the negative chroma
    /// difference as unsigned in that one path (<c>yuv2rgba64_1_c</c>), and green saturates. The bicubic filter takes
    /// the general path, which is right; <see cref="Video2TfRecord.Video.PictureConverter"/> uses it there.
    /// </summary>
    public bool DeepRowCopyBroken => SwScale == 9;

    /// <summary>Whether the display matrix is read through <c>av_stream_get_side_data</c> (FFmpeg 4 to 7; gone in 8).</summary>
    public bool StreamSideData => AvCodec <= 61;

    /// <summary>Whether audio resampling has the channel-layout API (<c>swr_alloc_set_opts2</c>, FFmpeg 5.1 on).</summary>
    public bool ChannelLayoutApi => FrameChannelLayout >= 0;

    /// <summary>
    /// The sonames of the set, in load order, each after the ones it may link: libavutil, libswresample (which
    /// libavcodec links in some builds, FFmpeg 8.0's from source among them), libswscale, libavcodec, libavformat. In a
    /// folder outside the loader's path (<c>VIDEO2TFRECORD_FFMPEG_DIR</c>, a build without an rpath) a library's
    /// dependency is found only when it is already loaded.
    /// </summary>
    public IReadOnlyList<string> Sonames =>
    [
        $"libavutil.so.{AvUtil}", $"libswresample.so.{SwResample}", $"libswscale.so.{SwScale}", $"libavcodec.so.{AvCodec}", $"libavformat.so.{AvFormat}",
    ];

    /// <summary>FFmpeg 4.x (Debian 11, Ubuntu 22.04).</summary>
    public static LibAvLayout FFmpeg4 { get; } = new()
    {
        Release = "FFmpeg 4",
        AvFormat = 58,
        AvCodec = 58,
        AvUtil = 56,
        SwScale = 5,
        SwResample = 3,
        FormatDuration = 1096,
        StreamTimeBase = 24,
        StreamDuration = 40,
        StreamFrames = 48,
        StreamCodecParameters = 208,
        CodecParametersWidth = 56,
        CodecParametersHeight = 60,
        FrameSampleRate = 272,
        FrameBestEffortTimestamp = 408,
        FrameChannelMask = 280,
        FrameChannels = 444,
        CodecContextSkipFrame = 836,
        FrameDecodeErrorFlags = 440,
        ComponentDescriptorSize = 32,
        PixelFormatBgr48Le = 60,
    };

    /// <summary>FFmpeg 5.x (Debian 12).</summary>
    public static LibAvLayout FFmpeg5 { get; } = new()
    {
        Release = "FFmpeg 5",
        AvFormat = 59,
        AvCodec = 59,
        AvUtil = 57,
        SwScale = 6,
        SwResample = 4,
        FormatDuration = 72,
        StreamTimeBase = 16,
        StreamDuration = 32,
        StreamFrames = 40,
        StreamCodecParameters = 208,
        CodecParametersWidth = 56,
        CodecParametersHeight = 60,
        FrameSampleRate = 208,
        FrameBestEffortTimestamp = 344,
        FrameChannelLayout = 448,
        CodecContextSkipFrame = 692,
        FrameDecodeErrorFlags = 376,
        ComponentDescriptorSize = 20,
        PixelFormatBgr48Le = 58,
    };

    /// <summary>FFmpeg 6.1 (Ubuntu 24.04); 6.0 has the same sonames and other offsets, and is refused.</summary>
    public static LibAvLayout FFmpeg6 { get; } = new()
    {
        Release = "FFmpeg 6.1",
        AvFormat = 60,
        AvCodec = 60,
        AvUtil = 58,
        SwScale = 7,
        SwResample = 4,
        MinimumAvCodecMinor = 31,
        FormatDuration = 72,
        StreamTimeBase = 32,
        StreamDuration = 48,
        StreamFrames = 56,
        StreamCodecParameters = 16,
        CodecParametersWidth = 56,
        CodecParametersHeight = 60,
        CodecParametersCodedSideData = 176,
        CodecParametersCodedSideDataCount = 184,
        FrameSampleRate = 208,
        FrameBestEffortTimestamp = 344,
        FrameChannelLayout = 448,
        CodecContextSkipFrame = 684,
        FrameDecodeErrorFlags = 376,
        ComponentDescriptorSize = 20,
        PixelFormatBgr48Le = 58,
    };

    /// <summary>FFmpeg 7.x (Debian 13).</summary>
    public static LibAvLayout FFmpeg7 { get; } = new()
    {
        Release = "FFmpeg 7",
        AvFormat = 61,
        AvCodec = 61,
        AvUtil = 59,
        SwScale = 8,
        SwResample = 5,
        FormatDuration = 104,
        StreamTimeBase = 32,
        StreamDuration = 48,
        StreamFrames = 56,
        StreamCodecParameters = 16,
        CodecParametersWidth = 72,
        CodecParametersHeight = 76,
        CodecParametersCodedSideData = 32,
        CodecParametersCodedSideDataCount = 40,
        FrameSampleRate = 192,
        FrameBestEffortTimestamp = 320,
        FrameChannelLayout = 408,
        CodecContextSkipFrame = 708,
        FrameDecodeErrorFlags = 344,
        ComponentDescriptorSize = 20,
        PixelFormatBgr48Le = 58,
    };

    /// <summary>FFmpeg 8.x.</summary>
    public static LibAvLayout FFmpeg8 { get; } = FFmpeg7 with
    {
        Release = "FFmpeg 8",
        AvFormat = 62,
        AvCodec = 62,
        AvUtil = 60,
        SwScale = 9,
        SwResample = 6,
        FrameSampleRate = 180,
        FrameBestEffortTimestamp = 304,
        FrameChannelLayout = 384,
        FrameDecodeErrorFlags = 320,
    };

    /// <summary>FFmpeg 9.x (Debian sid and forky): the fields the bindings read sit where 8's do, but for <c>skip_frame</c>.</summary>
    public static LibAvLayout FFmpeg9 { get; } = FFmpeg8 with
    {
        Release = "FFmpeg 9",
        AvFormat = 63,
        AvCodec = 63,
        AvUtil = 61,
        SwScale = 10,
        SwResample = 7,
        CodecContextSkipFrame = 704,
    };

    /// <summary>Every release line the bindings know, newest first (the order they are looked for in).</summary>
    public static IReadOnlyList<LibAvLayout> All { get; } = [FFmpeg9, FFmpeg8, FFmpeg7, FFmpeg6, FFmpeg5, FFmpeg4];

    /// <summary>The layout of the loaded libraries (<see cref="FFmpegLibraries"/>); only read after they loaded.</summary>
    public static LibAvLayout Current => FFmpegLibraries.Layout ?? throw new InvalidOperationException("the FFmpeg libraries are not loaded");

    /// <summary>The layout for a libavcodec major, or null.</summary>
    public static LibAvLayout? ForAvCodec(int major) => All.FirstOrDefault(l => l.AvCodec == major);

    /// <summary>What the layout says of each field, as C expressions the layout test compiles against headers of this major.</summary>
    public IEnumerable<(string Name, string Expression, int Value)> Checks()
    {
        yield return ("AVFormatContext.duration", "offsetof(AVFormatContext, duration)", FormatDuration);
        yield return ("AVStream.time_base", "offsetof(AVStream, time_base)", StreamTimeBase);
        yield return ("AVStream.duration", "offsetof(AVStream, duration)", StreamDuration);
        yield return ("AVStream.nb_frames", "offsetof(AVStream, nb_frames)", StreamFrames);
        yield return ("AVStream.codecpar", "offsetof(AVStream, codecpar)", StreamCodecParameters);
        yield return ("AVCodecParameters.width", "offsetof(AVCodecParameters, width)", CodecParametersWidth);
        yield return ("AVCodecParameters.height", "offsetof(AVCodecParameters, height)", CodecParametersHeight);
        if (CodecParametersCodedSideData >= 0)
        {
            yield return ("AVCodecParameters.coded_side_data", "offsetof(AVCodecParameters, coded_side_data)", CodecParametersCodedSideData);
            yield return ("AVCodecParameters.nb_coded_side_data", "offsetof(AVCodecParameters, nb_coded_side_data)", CodecParametersCodedSideDataCount);
        }

        yield return ("AVFrame.sample_rate", "offsetof(AVFrame, sample_rate)", FrameSampleRate);
        yield return ("AVFrame.best_effort_timestamp", "offsetof(AVFrame, best_effort_timestamp)", FrameBestEffortTimestamp);
        yield return ("AVFrame.decode_error_flags", "offsetof(AVFrame, decode_error_flags)", FrameDecodeErrorFlags);
        if (FrameChannelLayout >= 0)
        {
            yield return ("AVFrame.ch_layout", "offsetof(AVFrame, ch_layout)", FrameChannelLayout);
        }
        else
        {
            yield return ("AVFrame.channel_layout", "offsetof(AVFrame, channel_layout)", FrameChannelMask);
            yield return ("AVFrame.channels", "offsetof(AVFrame, channels)", FrameChannels);
        }

        yield return ("AVCodecContext.skip_frame", "offsetof(AVCodecContext, skip_frame)", CodecContextSkipFrame);
        yield return ("AVComponentDescriptor.size", "sizeof(AVComponentDescriptor)", ComponentDescriptorSize);
        yield return ("AV_PIX_FMT_BGR48LE", "AV_PIX_FMT_BGR48LE", PixelFormatBgr48Le);
        yield return ("LIBAVFORMAT_VERSION_MAJOR", "LIBAVFORMAT_VERSION_MAJOR", AvFormat);
        yield return ("LIBAVCODEC_VERSION_MAJOR", "LIBAVCODEC_VERSION_MAJOR", AvCodec);
        yield return ("LIBAVUTIL_VERSION_MAJOR", "LIBAVUTIL_VERSION_MAJOR", AvUtil);
        yield return ("LIBSWSCALE_VERSION_MAJOR", "LIBSWSCALE_VERSION_MAJOR", SwScale);
        yield return ("LIBSWRESAMPLE_VERSION_MAJOR", "LIBSWRESAMPLE_VERSION_MAJOR", SwResample);
    }
}
