using Video2TfRecord.Video;
using Video2TfRecord.Video.Native;

namespace Video2TfRecord.Audio;

/// <summary>
/// Reads a time span of a video's first audio stream through the system's FFmpeg: decoded, resampled and mixed by
/// swresample to float32 at the asked rate and channels, and placed by presentation time on the video's clock, so sample
/// 0 lies at the span's start and a frame at time t meets the sample at t. Where the stream has no samples (it starts
/// late, ends early, or has a gap) the samples are 0; samples are clamped to [−1, 1].
/// </summary>
internal static unsafe class AudioReader
{
    // A jump in the audio's timestamps larger than this is a gap (or an overlap) to follow, not jitter to ignore.
    private const double GapSeconds = 0.02;

    // Seeks land this far before the span, so the decoder and resampler are running when it starts.
    private const double SeekMarginSeconds = 0.5;

    /// <summary>The samples of [<paramref name="startUs"/>, <paramref name="endUs"/>), or null when the file has no audio stream.</summary>
    /// <param name="path">The video file.</param>
    /// <param name="originSeconds">Where the video's clock starts: its first frame's presentation time in the container's seconds.</param>
    /// <param name="startUs">Start of the span on the video's clock, µs.</param>
    /// <param name="endUs">End of the span, exclusive, µs.</param>
    /// <param name="options">Rate and channels to resample to.</param>
    /// <param name="cancellationToken">Checked between packets.</param>
    /// <exception cref="VideoReadException">The audio stream cannot be opened or decoded.</exception>
    public static AudioTrack? Read(string path, double originSeconds, long startUs, long endUs, AudioOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var rate = options.SampleRate;
        var channels = options.Channels;
        var first = (long)Math.Round(startUs * (double)rate / 1e6);
        var count = Math.Max(0, (long)Math.Round(endUs * (double)rate / 1e6) - first);
        AVFormatContext* format = null;
        void* codec = null;
        void* resampler = null;
        var packet = LibAv.av_packet_alloc();
        var frame = LibAv.av_frame_alloc();
        try
        {
            if (LibAv.avformat_open_input(&format, path, null, null) < 0 || LibAv.avformat_find_stream_info(format, null) < 0)
            {
                throw new VideoReadException(path, "its audio cannot be read (the container does not open)");
            }

            var index = LibAv.av_find_best_stream(format, LibAv.AVMEDIA_TYPE_AUDIO, -1, -1, null, 0);
            if (index < 0)
            {
                return null;
            }

            var stream = format->streams[index];
            var secondsPerTick = stream->time_base.ToDouble();
            codec = OpenDecoder(path, stream);
            var samples = new float[checked(count * channels)];
            var output = new float[4096 * channels];
            var seek = originSeconds + (startUs / 1e6) - SeekMarginSeconds;
            if (startUs > 0 && secondsPerTick > 0)
            {
                // A failed seek leaves the demuxer at the start, which is only slower.
                _ = LibAv.av_seek_frame(format, index, (long)Math.Floor(seek / secondsPerTick), LibAv.AVSEEK_FLAG_BACKWARD);
            }

            long? position = null; // the next resampled sample's place on the video's clock, in output samples
            long expected = 0;     // where the next decoded frame should start if the stream has no gap
            var draining = false;
            while (position is null || position < first + count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var received = LibAv.avcodec_receive_frame(codec, frame);
                if (received == LibAv.AVERROR_EAGAIN && !draining)
                {
                    if (LibAv.av_read_frame(format, packet) < 0)
                    {
                        draining = true;
                        _ = LibAv.avcodec_send_packet(codec, null);
                    }
                    else
                    {
                        if (packet->stream_index == index)
                        {
                            // A damaged packet is dropped by the decoder; the span keeps 0 there.
                            _ = LibAv.avcodec_send_packet(codec, packet);
                        }

                        LibAv.av_packet_unref(packet);
                    }

                    continue;
                }

                if (received < 0)
                {
                    break;
                }

                if (resampler is null)
                {
                    resampler = OpenResampler(path, frame, rate, channels);
                }

                var pts = frame->best_effort_timestamp != LibAv.AV_NOPTS_VALUE ? frame->best_effort_timestamp : frame->pts;
                if (pts != LibAv.AV_NOPTS_VALUE)
                {
                    var at = (long)Math.Round(((pts * secondsPerTick) - originSeconds) * rate);
                    if (position is null)
                    {
                        position = at;
                    }
                    else if (Math.Abs(at - expected) > GapSeconds * rate)
                    {
                        position += at - expected;
                    }

                    expected = at + (long)Math.Round((double)frame->nb_samples * rate / frame->sample_rate);
                }

                position ??= 0;
                var converted = Convert(resampler, frame->extended_data, frame->nb_samples, frame->sample_rate, rate, channels, ref output);
                position = Place(output, converted, channels, position.Value, first, samples);
                LibAv.av_frame_unref(frame);
            }

            if (resampler is not null && position is { } end)
            {
                // What the resampler still holds (its filter's delay) belongs at the end.
                var converted = Convert(resampler, null, 0, rate, rate, channels, ref output);
                Place(output, converted, channels, end, first, samples);
            }

            return new AudioTrack(samples, rate, channels, startUs);
        }
        finally
        {
            LibAv.swr_free(&resampler);
            LibAv.avcodec_free_context(&codec);
            LibAv.avformat_close_input(&format);
            LibAv.av_frame_free(&frame);
            LibAv.av_packet_free(&packet);
        }
    }

    private static void* OpenDecoder(string path, AVStream* stream)
    {
        var parameters = stream->codecpar;
        var decoder = LibAv.avcodec_find_decoder(parameters->codec_id);
        var codec = decoder is null ? null : LibAv.avcodec_alloc_context3(decoder);
        if (codec is null || LibAv.avcodec_parameters_to_context(codec, parameters) < 0 || LibAv.avcodec_open2(codec, decoder, null) < 0)
        {
            LibAv.avcodec_free_context(&codec);
            throw new VideoReadException(path, "its audio stream is in a codec the decoder lacks");
        }

        return codec;
    }

    // A resampler from the first decoded frame's layout, format and rate (stream parameters can be incomplete before it).
    private static void* OpenResampler(string path, AVFrame* frame, int rate, int channels)
    {
        void* resampler = null;
        var allocated = true;
        if (LibAvLayout.Current.ChannelLayoutApi)
        {
            AVChannelLayout layout;
            LibAv.av_channel_layout_default(&layout, channels);
            allocated = LibAv.swr_alloc_set_opts2(&resampler, &layout, LibAv.AV_SAMPLE_FMT_FLT, rate, frame->ch_layout, frame->format, frame->sample_rate, 0, null) >= 0;
        }
        else
        {
            // FFmpeg 4: layouts are channel masks; a frame without one gets the default of its channel count.
            var input = frame->channel_layout != 0 ? (long)frame->channel_layout : LibAv.av_get_default_channel_layout(frame->channels);
            resampler = LibAv.swr_alloc_set_opts(null, LibAv.av_get_default_channel_layout(channels), LibAv.AV_SAMPLE_FMT_FLT, rate, input, frame->format,
                frame->sample_rate, 0, null);
        }

        if (!allocated || resampler is null || LibAv.swr_init(resampler) < 0)
        {
            LibAv.swr_free(&resampler);
            throw new VideoReadException(path, "its audio cannot be resampled (an unknown channel layout or sample format)");
        }

        return resampler;
    }

    // Resamples one frame (or, with no input, what the resampler holds) into `output`, grown as needed; returns sample frames.
    private static int Convert(void* resampler, byte** input, int inputCount, int inputRate, int rate, int channels, ref float[] output)
    {
        var room = (int)((long)inputCount * rate / Math.Max(1, inputRate)) + 256;
        if (output.Length < room * channels)
        {
            output = new float[room * channels];
        }

        fixed (float* samples = output)
        {
            var planes = stackalloc byte*[1] { (byte*)samples };
            return Math.Max(0, LibAv.swr_convert(resampler, planes, room, input, inputCount));
        }
    }

    // Copies the part of `converted` sample frames at `position` that falls in the span; returns the position after them.
    private static long Place(float[] output, int converted, int channels, long position, long first, float[] samples)
    {
        var span = samples.Length / channels;
        for (var i = 0; i < converted; i++)
        {
            var at = position + i - first;
            if (at >= 0 && at < span)
            {
                // Lossy codecs overshoot a full-scale signal (AAC decodes a 0 dBFS sine past ±1): stored samples stay in [−1, 1].
                for (var k = 0; k < channels; k++)
                {
                    samples[(at * channels) + k] = Math.Clamp(output[(i * channels) + k], -1f, 1f);
                }
            }
        }

        return position + converted;
    }
}
