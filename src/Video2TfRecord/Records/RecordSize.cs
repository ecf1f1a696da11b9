using System.Globalization;
using System.Text;
using Video2TfRecord.Frames;
using Video2TfRecord.Sampling;

namespace Video2TfRecord.Records;

/// <summary>
/// How large a record will be, worked out in 64-bit arithmetic before protobuf's own 32-bit size is asked for: a record
/// past 2 GiB would wrap protobuf's <c>CalculateSize</c> (a negative or a too small buffer), so it is refused first.
/// </summary>
internal static class RecordSize
{
    // Generous framing per stored image (key, map entry, Feature and BytesList wrappers: about 40 bytes in practice) and
    // for everything else a record holds besides images (ids, paths, indices, timestamps, label, flow metadata).
    private const long PerImage = 64;
    private const long PerEntry = 64;
    private const long Fixed = 64 * 1024;

    /// <summary>
    /// The fewest bytes a PNG can take: its signature, header, one empty data chunk and end chunk (JPEG's markers take
    /// more). A lower bound of any compressed image, so a plan's least size is known before anything is encoded.
    /// </summary>
    public const long LeastCompressedImageBytes = 57;

    /// <summary>
    /// The fewest bytes one stored frame of <paramref name="width"/>×<paramref name="height"/> takes with these
    /// (resolved) image options: raw exactly its samples, compressed at least <see cref="LeastCompressedImageBytes"/>.
    /// </summary>
    /// <param name="width">Stored width.</param>
    /// <param name="height">Stored height.</param>
    /// <param name="images">Resolved image options (a concrete encoding).</param>
    /// <param name="extraChannel">Whether flow is stored as a 4th channel of each frame.</param>
    public static long LeastImageBytes(int width, int height, ImageOptions images, bool extraChannel)
    {
        ArgumentNullException.ThrowIfNull(images);
        var channels = (images.Color == ColorMode.Gray ? 1 : 3) + (extraChannel ? 1 : 0);
        return images.Encoding == ImageEncoding.Raw
            ? (long)width * height * channels * (images.PixelType == PixelType.UInt16 ? 2 : 1)
            : LeastCompressedImageBytes;
    }

    /// <summary>
    /// Why a video whose plan holds <paramref name="entries"/> stored frames of <paramref name="width"/>×<paramref name="height"/>
    /// cannot be written, known before anything is decoded: more frames than <see cref="SamplingOptions.MaxFrames"/>, or
    /// images alone past <paramref name="maxBytes"/>; null when it may fit.
    /// </summary>
    public static string? PlanRefusal(long entries, int width, int height, SamplingOptions sampling, ImageOptions images, bool extraChannel, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(sampling);
        if (entries > SamplingOptions.MaxFrames)
        {
            var asked = sampling.Mode == SamplingMode.Fps ? $"--fps {sampling.Fps}" : $"--frames {sampling.Frames}";
            return string.Create(CultureInfo.InvariantCulture,
                $"its frame plan has {entries} frames ({asked}), more than the {SamplingOptions.MaxFrames} a record may hold; ask for fewer frames or cut the video with --clip-length");
        }

        var each = LeastImageBytes(width, height, images, extraChannel);
        return entries * each > maxBytes
            ? string.Create(CultureInfo.InvariantCulture,
                $"its record would be at least {entries * each} bytes ({entries} frames of {width}x{height}, at least {each} bytes each), more than --max-record-bytes {maxBytes}; store fewer or smaller frames")
            : null;
    }

    /// <summary>The bytes of every image (a lower bound of the size) and an upper bound of the whole record.</summary>
    public static (long Payload, long Bound) Of(VideoRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        long payload = 0, images = 0;
        foreach (var list in Lists(record))
        {
            foreach (var image in list)
            {
                payload += image.Length;
                images++;
            }
        }

        var text = Encoding.UTF8.GetByteCount(record.Id) + Encoding.UTF8.GetByteCount(record.Path) + Encoding.UTF8.GetByteCount(record.LabelText ?? "");
        return (payload, payload + images * PerImage + record.FrameIndices.Count * PerEntry + 2L * text + Fixed);
    }

    /// <summary>
    /// Why a record cannot be written under <paramref name="maxBytes"/> (at most <see cref="int.MaxValue"/>), or null
    /// with its exact <paramref name="size"/>; <paramref name="exactSize"/> (protobuf's) is called only when it cannot wrap.
    /// </summary>
    public static string? Refusal(VideoRecord record, long maxBytes, Func<int> exactSize, out int size)
    {
        ArgumentNullException.ThrowIfNull(exactSize);
        size = 0;
        var (payload, bound) = Of(record);
        if (payload > maxBytes)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"its record would be at least {payload} bytes, more than --max-record-bytes {maxBytes}; store fewer or smaller frames");
        }

        if (bound > int.MaxValue)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"its record would be about {bound} bytes, more than protobuf's limit of {int.MaxValue}; store fewer or smaller frames");
        }

        size = exactSize();
        return size > maxBytes
            ? string.Create(CultureInfo.InvariantCulture, $"its record would be {size} bytes, more than --max-record-bytes {maxBytes}; store fewer or smaller frames")
            : null;
    }

    private static IEnumerable<IReadOnlyList<ReadOnlyMemory<byte>>> Lists(VideoRecord record)
    {
        yield return record.Images;
        if (record.Flow is { } flow)
        {
            yield return flow.X;
            yield return flow.Y;
            yield return flow.Xy;
        }
    }
}
