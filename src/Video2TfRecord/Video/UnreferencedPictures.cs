using System.Buffers.Binary;
using Video2TfRecord.Video.Native;

namespace Video2TfRecord.Video;

/// <summary>
/// Tells from a packet's own bytes whether it holds a picture no other picture can reference, in the codecs where the
/// bitstream says so exactly: h264 (every slice has <c>nal_ref_idc</c> 0) and MPEG-1/2 video (B pictures). A decoder
/// never keeps such a picture for prediction, so skipping it changes no other picture (issue 24).
/// </summary>
/// <remarks>
/// A packet counts only when everything in it is known to be harmless to skip: for h264 only non-IDR slices and data
/// partitions with <c>nal_ref_idc</c> 0, SEI, access unit delimiters and filler, and at least one slice; a packet that
/// mixes reference and non-reference slices (which the standard forbids) or carries parameter sets or end-of-sequence
/// units is decoded. Anything malformed (a length past the end) counts as referenced. Other codecs give no such signal
/// that holds for every stream: HEVC marks sub-layer non-reference pictures, but FFmpeg keeps them in its picture buffer,
/// and a picture of a higher temporal layer, or a stream that lies, may still reference them; VP9, AV1 and MPEG-4 part 2
/// (whose AVI files pack a B-frame into the packet of the frame before it) are decoded as before.
/// </remarks>
internal sealed class UnreferencedPictures
{
    private const int NalSlice = 1;
    private const int NalPartitionC = 4;
    private const int NalSei = 6;
    private const int NalAccessUnitDelimiter = 9;
    private const int NalFiller = 12;

    private static ReadOnlySpan<byte> StartCode => [0, 0, 1];

    private readonly bool _h264;

    // Bytes of the big-endian length before each NAL unit (avcC, as in mp4 and mkv); 0 for start codes (Annex B).
    private readonly int _lengthSize;

    private UnreferencedPictures(bool h264, int lengthSize) => (_h264, _lengthSize) = (h264, lengthSize);

    /// <summary>The reader for a stream's codec, or null when the codec gives no exact signal (its packets are all decoded).</summary>
    public static unsafe UnreferencedPictures? For(AVCodecParameters* parameters)
    {
        switch (parameters->codec_id)
        {
            case LibAv.AV_CODEC_ID_MPEG1VIDEO or LibAv.AV_CODEC_ID_MPEG2VIDEO:
                return new UnreferencedPictures(h264: false, 0);
            case LibAv.AV_CODEC_ID_H264:
                var extradata = new ReadOnlySpan<byte>(parameters->extradata, parameters->extradata is null ? 0 : Math.Max(0, parameters->extradata_size));
                return For264(extradata);
            default:
                return null;
        }
    }

    /// <summary>The h264 reader for a stream whose codec private data is <paramref name="extradata"/> (an avcC record, Annex B parameter sets, or nothing).</summary>
    public static UnreferencedPictures? For264(ReadOnlySpan<byte> extradata)
    {
        if (extradata.Length > 0 && extradata[0] == 1)
        {
            // avcC: lengthSizeMinusOne in the low two bits of byte 4; 3 bytes is not a size the format allows.
            if (extradata.Length < 7)
            {
                return null;
            }

            var lengthSize = (extradata[4] & 3) + 1;
            return lengthSize == 3 ? null : new UnreferencedPictures(h264: true, lengthSize);
        }

        return new UnreferencedPictures(h264: true, 0);
    }

    /// <summary>Whether the packet <paramref name="data"/> holds only a picture nothing references.</summary>
    public bool IsUnreferenced(ReadOnlySpan<byte> data) => _h264 ? H264(data) : Mpeg12(data);

    private bool H264(ReadOnlySpan<byte> data)
    {
        var slices = 0;
        if (_lengthSize == 0)
        {
            var rest = data;
            while (NextStartCode(ref rest) is var header and >= 0)
            {
                if (!Harmless264((byte)header, ref slices))
                {
                    return false;
                }
            }

            return slices > 0;
        }

        var position = 0;
        while (position < data.Length)
        {
            if (data.Length - position < _lengthSize)
            {
                return false;
            }

            var length = _lengthSize switch
            {
                1 => data[position],
                2 => BinaryPrimitives.ReadUInt16BigEndian(data[position..]),
                _ => (long)BinaryPrimitives.ReadUInt32BigEndian(data[position..]),
            };
            position += _lengthSize;
            if (length == 0 || length > data.Length - position || !Harmless264(data[position], ref slices))
            {
                return false;
            }

            position += (int)length;
        }

        return slices > 0;
    }

    // Whether one NAL unit, by its header byte, may be skipped with the picture; counts the slices.
    private static bool Harmless264(byte header, ref int slices)
    {
        if ((header & 0x80) != 0)
        {
            return false;
        }

        var referenced = (header >> 5) != 0;
        switch (header & 0x1F)
        {
            case >= NalSlice and <= NalPartitionC when !referenced:
                slices++;
                return true;
            case NalSei or NalAccessUnitDelimiter or NalFiller:
                return true;
            default:
                return false;
        }
    }

    // MPEG-1/2: a packet whose every picture header says B (picture_coding_type 3), and that has one.
    private static bool Mpeg12(ReadOnlySpan<byte> data)
    {
        var pictures = 0;
        var rest = data;
        while (NextStartCode(ref rest) is var code and >= 0)
        {
            if (code != 0)
            {
                continue;
            }

            // picture_header: temporal_reference (10 bits), picture_coding_type (3 bits).
            if (rest.Length < 3 || ((rest[2] >> 3) & 7) != 3)
            {
                return false;
            }

            pictures++;
        }

        return pictures > 0;
    }

    // The byte after the next 00 00 01 in rest, with rest moved past it; -1 when there is none.
    private static int NextStartCode(ref ReadOnlySpan<byte> rest)
    {
        var at = rest.IndexOf(StartCode);
        if (at < 0 || at + 3 >= rest.Length)
        {
            rest = [];
            return -1;
        }

        var code = rest[at + 3];
        rest = rest[(at + 3)..];
        return code;
    }
}
