using System.Runtime.InteropServices;
using OpenCvSharp;
using Video2TfRecord.Video.Native;

namespace Video2TfRecord.Video;

/// <summary>
/// Counts a video by reading every packet of its video stream, without decoding any: the <see cref="FrameTable"/>
/// (shown packets' timestamps in presentation order, keyframes, edit-list discards, pictures nothing references), the
/// header's values, whether the container seeks exactly, and the rotation.
/// </summary>
internal static unsafe class PacketCounter
{
    // Containers whose seeks go through a sample index (exact, to a keyframe); others are decoded sequentially.
    private static readonly string[] IndexedContainers = ["mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm"];

    /// <summary>
    /// Opens a fresh demuxer on <paramref name="stream"/> and reads it to the end; the demuxer is left open there.
    /// </summary>
    /// <param name="stream">The video's stream.</param>
    /// <param name="cancellationToken">Checked every 1024 packets.</param>
    /// <exception cref="VideoReadException">The file is not a video, or its video stream holds no frames.</exception>
    public static Counting Count(FFmpegStream stream, CancellationToken cancellationToken)
    {
        stream.Open();
        var format = stream.Format;
        var video = stream.Stream;
        var parameters = video->codecpar;
        var secondsPerTick = video->time_base.ToDouble();
        var fps = LibAv.av_guess_frame_rate(format, video, null).ToDouble();
        var seekable = Array.IndexOf(IndexedContainers, Marshal.PtrToStringUTF8((nint)format->iformat->name)) >= 0;
        var rotation = RotationOf(video);
        var corrupt = false;
        var packets = new List<(long? Pts, bool Key, bool Discard)>();
        var dts = new List<long>();
        var pictures = UnreferencedPictures.For(parameters);
        HashSet<long>? unreferenced = null;
        while (stream.ReadPacket())
        {
            var packet = stream.Packet;
            var discard = (packet->flags & LibAv.AV_PKT_FLAG_DISCARD) != 0;
            if (pictures is not null && !discard && packet->pts != LibAv.AV_NOPTS_VALUE && packet->data is not null
                && pictures.IsUnreferenced(new ReadOnlySpan<byte>(packet->data, packet->size)))
            {
                (unreferenced ??= []).Add(packet->pts);
            }

            corrupt |= (packet->flags & LibAv.AV_PKT_FLAG_CORRUPT) != 0;
            packets.Add((packet->pts == LibAv.AV_NOPTS_VALUE ? null : packet->pts, (packet->flags & LibAv.AV_PKT_FLAG_KEY) != 0, discard));
            if (!discard)
            {
                dts.Add(packet->dts);
            }

            if ((packets.Count & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        var headerCount = HeaderFrameCount(format, video, secondsPerTick, fps);
        var (width, height) = (parameters->width, parameters->height);
        var shown = dts.Count;
        if (shown == 0)
        {
            throw new VideoReadException(stream.Path, "the video stream holds no frames");
        }

        var table = FrameTable.Create(packets, secondsPerTick, unreferenced);
        var firstDtsSeconds = dts[0] == LibAv.AV_NOPTS_VALUE ? 0 : dts[0] * secondsPerTick;
        var timestamps = table?.TimestampsUs ?? OrderedTimes(dts, secondsPerTick, fps);
        var info = new VideoInfo(stream.Path, shown, headerCount, fps, width, height, timestamps);
        return new Counting(info, table, secondsPerTick, seekable, rotation, corrupt, firstDtsSeconds);
    }

    // Without usable presentation times: the decode times, or the frame rate, as a forecast the decode corrects.
    private static long[] OrderedTimes(List<long> dts, double secondsPerTick, double fps)
    {
        var times = new long[dts.Count];
        var step = fps > 0 ? 1e6 / fps : 0;
        for (var i = 0; i < times.Length; i++)
        {
            times[i] = dts[0] != LibAv.AV_NOPTS_VALUE && dts[i] != LibAv.AV_NOPTS_VALUE && (i == 0 || dts[i] > dts[i - 1])
                ? (long)Math.Round((dts[i] - dts[0]) * secondsPerTick * 1e6)
                : (long)Math.Round(i * step);
        }

        return times;
    }

    // What the header claims, computed as OpenCV does: nb_frames, else duration × rate.
    private static int HeaderFrameCount(AVFormatContext* format, AVStream* stream, double secondsPerTick, double fps)
    {
        var seconds = format->duration > 0 ? format->duration / 1e6 : stream->duration * secondsPerTick;
        var count = stream->nb_frames > 0 ? stream->nb_frames : (long)Math.Floor(seconds * fps + 0.5);
        return (int)Math.Clamp(count, 0, int.MaxValue);
    }

    // The display matrix's rotation, applied as OpenCV applies it.
    private static RotateFlags? RotationOf(AVStream* stream)
    {
        var matrix = DisplayMatrix(stream, out var size);
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

    // The stream's display matrix: from the codec parameters' side data where the major has it (6.1 on; demuxers of 7
    // put it only there), else through av_stream_get_side_data (FFmpeg 4 and 5; 8 removed the function).
    private static byte* DisplayMatrix(AVStream* stream, out nuint size)
    {
        size = 0;
        var layout = LibAvLayout.Current;
        if (layout.CodecParametersCodedSideData >= 0)
        {
            var parameters = stream->codecpar;
            var entry = LibAv.av_packet_side_data_get(parameters->coded_side_data, parameters->nb_coded_side_data, LibAv.AV_PKT_DATA_DISPLAYMATRIX);
            if (entry is not null)
            {
                // AVPacketSideData: uint8_t *data at 0, size_t size at 8 (every major that has this function).
                size = *(nuint*)(entry + 8);
                return *(byte**)entry;
            }
        }

        if (!layout.StreamSideData)
        {
            return null;
        }

        fixed (nuint* length = &size)
        {
            return LibAv.av_stream_get_side_data(stream, LibAv.AV_PKT_DATA_DISPLAYMATRIX, length);
        }
    }
}
