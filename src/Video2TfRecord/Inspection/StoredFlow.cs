using OpenCvSharp;
using Video2TfRecord.Records;

namespace Video2TfRecord.Inspection;

/// <summary>Decodes the <c>xy</c> flow a record stores back into pixels per frame.</summary>
public static class StoredFlow
{
    /// <summary>
    /// Every flow entry as a 32-bit float, 2-channel image (dx, dy) in pixels per frame, recovered as
    /// v = q·2b/max − b; empty when the record holds no <c>xy</c> flow. The caller disposes them.
    /// </summary>
    /// <param name="record">The record.</param>
    /// <param name="entries">Only these entries (0-based, in this order), or null for all.</param>
    /// <exception cref="InvalidDataException">A flow image does not decode or does not match the declared shape.</exception>
    public static List<Mat> Decode(ParsedRecord record, IReadOnlyList<int>? entries = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        var bound = record.FlowBound;
        if (bound is not > 0f)
        {
            return [];
        }

        var deep = record.Dtype == "uint16";
        var max = deep ? 65535.0 : 255.0;
        var (height, width) = ((int)(record.Height ?? 0), (int)(record.Width ?? 0));
        var format = record.FlowImageFormat;
        var fields = new List<Mat>();
        try
        {
            var all = record.FlowEntries().ToList();
            foreach (var position in entries ?? Enumerable.Range(0, all.Count))
            {
                var (first, second) = all[position];
                if (second is null)
                {
                    // One color image: R = dx, G = dy (OpenCV's channels 2 and 1).
                    using var color = StoredImages.DecodeImage(first.Span, format, (height, width, 3), deep, position);
                    using var x = color.ExtractChannel(2);
                    using var y = color.ExtractChannel(1);
                    fields.Add(ToPixels(x, y, bound.Value, max));
                }
                else
                {
                    using var x = StoredImages.DecodeImage(first.Span, format, (height, width, 1), deep, position);
                    using var y = StoredImages.DecodeImage(second.Span, format, (height, width, 1), deep, position);
                    fields.Add(ToPixels(x, y, bound.Value, max));
                }
            }

            return fields;
        }
        catch
        {
            foreach (var field in fields)
            {
                field.Dispose();
            }

            throw;
        }
    }

    private static Mat ToPixels(Mat x, Mat y, double bound, double max)
    {
        using var dx = new Mat();
        using var dy = new Mat();
        x.ConvertTo(dx, MatType.CV_32FC1, 2 * bound / max, -bound);
        y.ConvertTo(dy, MatType.CV_32FC1, 2 * bound / max, -bound);
        var field = new Mat();
        Cv2.Merge([dx, dy], field);
        return field;
    }
}
