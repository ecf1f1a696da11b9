using System.Globalization;
using OpenCvSharp;
using Video2TfRecord.Records;

namespace Video2TfRecord.Inspection;

/// <summary>Decodes the images a record stores back into OpenCV images, whatever their format.</summary>
public static class StoredImages
{
    /// <summary>
    /// Every stored image in order, in OpenCV's conventions: BGR for 3 channels (raw RGB is swapped), gray for 1, at the
    /// stored depth (8 or 16 bit). The caller disposes them.
    /// </summary>
    /// <param name="record">The record.</param>
    /// <param name="entries">Only these entries (0-based, in this order), or null for all.</param>
    /// <exception cref="InvalidDataException">An image does not decode or does not match the declared shape.</exception>
    public static List<Mat> Decode(ParsedRecord record, IReadOnlyList<int>? entries = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        var (height, width, channels) = ((int)(record.Height ?? 0), (int)(record.Width ?? 0), (int)(record.Channels ?? 0));
        var deep = record.Dtype == "uint16";
        var all = record.Images();
        var images = new List<Mat>();
        try
        {
            foreach (var position in entries ?? Enumerable.Range(0, all.Count))
            {
                images.Add(DecodeImage(all[position].Span, record.Format, (height, width, channels), deep, position));
            }

            return images;
        }
        catch
        {
            foreach (var image in images)
            {
                image.Dispose();
            }

            throw;
        }
    }

    /// <summary>One image: raw samples of the given shape, or an encoded JPEG/PNG.</summary>
    internal static Mat DecodeImage(ReadOnlySpan<byte> bytes, string? format, (int Height, int Width, int Channels) shape, bool deep, int position) =>
        format == "RAW" ? Raw(bytes, shape.Height, shape.Width, shape.Channels, deep, position) : Encoded(bytes, position);

    private static Mat Raw(ReadOnlySpan<byte> bytes, int height, int width, int channels, bool deep, int position)
    {
        if (height < 1 || width < 1 || channels < 1 || bytes.Length != (long)height * width * channels * (deep ? 2 : 1))
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"raw image {position} has {bytes.Length} bytes, which does not match {height}x{width}x{channels} at {(deep ? 16 : 8)} bit"));
        }

        var mat = new Mat(height, width, MatType.MakeType(deep ? MatType.CV_16U : MatType.CV_8U, channels));
        unsafe
        {
            bytes.CopyTo(new Span<byte>((void*)mat.Data, bytes.Length));
        }

        if (channels is 3 or 4)
        {
            Cv2.CvtColor(mat, mat, channels == 3 ? ColorConversionCodes.RGB2BGR : ColorConversionCodes.RGBA2BGRA);
        }

        return mat;
    }

    private static Mat Encoded(ReadOnlySpan<byte> bytes, int position)
    {
        var mat = Cv2.ImDecode(bytes, ImreadModes.Unchanged);
        if (mat.Empty())
        {
            mat.Dispose();
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"image {position} ({bytes.Length} bytes) does not decode"));
        }

        return mat;
    }
}
