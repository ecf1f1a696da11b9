using System.Globalization;
using OpenCvSharp;
using Video2TfRecord.Records;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Inspection;

/// <summary>
/// A contact sheet of one record: its stored frames side by side in rows, each labeled with its position and source
/// frame index, and under each its flow when the record has some (xy flow colorized: hue = direction, brightness =
/// speed relative to the 99th percentile on the sheet; seed flow as its gray channel), written as PNG. What people look at
/// first to trust a dataset.
/// </summary>
public static class ContactSheet
{
    private const int Gap = 4;
    private const int Caption = 16;

    /// <summary>The largest number of frames drawn by default: a sheet of 8×8 tiles.</summary>
    public const int DefaultMaxTiles = 64;

    /// <summary>
    /// The sheet's title (the record's id; for a clip also its window and source video) and each drawn tile's label: its
    /// entry, source frame and time on the video's clock (<c>3: frame 81 3.24s</c>).
    /// </summary>
    internal static (string Title, IReadOnlyList<string> Tiles) Labels(ParsedRecord record, IReadOnlyList<int> chosen)
    {
        var c = CultureInfo.InvariantCulture;
        var title = record.Clip is { } clip
            ? $"{record.Id} {Sampling.ClipWindow.Describe(clip.StartUs, clip.EndUs)} of {clip.SourceId}"
            : record.Id ?? "";
        var indices = record.FrameIndices;
        var times = record.TimestampsUs;
        var tiles = chosen.Select(entry =>
        {
            var frame = entry < indices.Count ? string.Create(c, $" frame {indices[entry]}") : "";
            var time = entry < times.Count ? string.Create(c, $" {times[entry] / 1e6:0.00}s") : "";
            return string.Create(c, $"{entry}:{frame}{time}");
        }).ToList();
        return (title, tiles);
    }

    /// <summary>
    /// Draws record <paramref name="recordNumber"/> (0-based) of <paramref name="recordFile"/> into
    /// <paramref name="sheetPath"/> (PNG or JPEG, by its extension): every stored frame, or at most
    /// <paramref name="maxTiles"/> evenly chosen ones (first and last included), each labeled with its entry and source frame.
    /// </summary>
    /// <returns>The frames drawn and the frames the record stores.</returns>
    /// <exception cref="OptionException">The sheet's name is not a PNG or JPEG file, or the record does not exist.</exception>
    /// <exception cref="InvalidDataException">The record's images cannot be decoded.</exception>
    public static ContactSheetTiles Write(string recordFile, long recordNumber, string sheetPath, int maxTiles = DefaultMaxTiles)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTiles, 1);
        CheckSheetPath(sheetPath);
        var record = Read(recordFile, recordNumber);
        var stored = record.Images().Count;
        if (stored == 0)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{recordFile}: record {recordNumber} holds no image"));
        }

        var chosen = Choose(stored, maxTiles);
        var tiles = Decode(record, chosen, recordFile, recordNumber);
        var flowTiles = new List<Mat>();
        try
        {
            flowTiles = FlowTiles(record, tiles, chosen);

            var width = tiles[0].Width;
            var height = tiles[0].Height;
            var columns = (int)Math.Ceiling(Math.Sqrt(tiles.Count));
            var rows = (tiles.Count + columns - 1) / columns;
            var cellHeight = Caption + (flowTiles.Count > 0 ? 2 * height : height);
            var (title, labels) = Labels(record, chosen);
            using var sheet = new Mat(Caption + Gap + (rows * (cellHeight + Gap)), Gap + (columns * (width + Gap)), MatType.CV_8UC3, new Scalar(40, 40, 40));
            Cv2.PutText(sheet, title, new Point(Gap, Caption - 2), HersheyFonts.HersheyPlain, 0.9, Scalar.White, 1, LineTypes.AntiAlias);
            for (var i = 0; i < tiles.Count; i++)
            {
                var x = Gap + (i % columns * (width + Gap));
                var y = Caption + Gap + (i / columns * (cellHeight + Gap));
                using (var target = new Mat(sheet, new Rect(x, y + Caption, width, height)))
                {
                    tiles[i].CopyTo(target);
                }

                if (i < flowTiles.Count)
                {
                    using var target = new Mat(sheet, new Rect(x, y + Caption + height, width, height));
                    flowTiles[i].CopyTo(target);
                }

                Cv2.PutText(sheet, labels[i], new Point(x, y + Caption - 4), HersheyFonts.HersheyPlain, 0.9, Scalar.White, 1, LineTypes.AntiAlias);
            }

            if (!Cv2.ImWrite(sheetPath, sheet))
            {
                throw new IOException($"cannot write {sheetPath} (does its folder exist and can it be written?)");
            }

            return new ContactSheetTiles(tiles.Count, stored);
        }
        finally
        {
            foreach (var tile in tiles.Concat(flowTiles))
            {
                tile.Dispose();
            }
        }
    }

    // At most max entries of count, evenly spaced with the first and the last: round(i·(count−1)/(max−1)).
    internal static int[] Choose(int count, int max)
    {
        if (count <= max)
        {
            return [.. Enumerable.Range(0, count)];
        }

        return max == 1 ? [0] : [.. Enumerable.Range(0, max).Select(i => (int)Math.Round((double)i * (count - 1) / (max - 1))).Distinct()];
    }

    private static void CheckSheetPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            throw new OptionException("output", $"-o {path} is a folder; give the sheet's file name, ending in .png or .jpg");
        }

        if (Path.GetExtension(path).ToUpperInvariant() is not (".PNG" or ".JPG" or ".JPEG"))
        {
            throw new OptionException("output", $"-o {path}: the sheet is written as PNG or JPEG; give a name ending in .png, .jpg or .jpeg");
        }
    }

    // xy flow colorized, or the seed channel split off 4-channel frames (which then keep only their colors).
    private static List<Mat> FlowTiles(ParsedRecord record, List<Mat> tiles, IReadOnlyList<int> chosen)
    {
        var result = new List<Mat>();
        if (tiles.Count > 0 && tiles[0].Channels() == 4)
        {
            foreach (var tile in tiles)
            {
                using var seed = tile.ExtractChannel(3);
                var gray = new Mat();
                Cv2.CvtColor(seed, gray, ColorConversionCodes.GRAY2BGR);
                result.Add(gray);
                Cv2.CvtColor(tile, tile, ColorConversionCodes.BGRA2BGR);
            }

            return result;
        }

        var fields = StoredFlow.Decode(record, chosen);
        var speeds = new List<float>();
        var polar = new List<(Mat Magnitude, Mat Angle)>();
        try
        {
            foreach (var field in fields)
            {
                using var dx = field.ExtractChannel(0);
                using var dy = field.ExtractChannel(1);
                var (magnitude, angle) = (new Mat(), new Mat());
                Cv2.CartToPolar(dx, dy, magnitude, angle, angleInDegrees: true);
                polar.Add((magnitude, angle));
                magnitude.GetArray(out float[] values);
                speeds.AddRange(values);
            }

            // Brightness is relative to the 99th percentile speed: a few wild pixels at the borders do not darken all.
            speeds.Sort();
            var fastest = Math.Max(1e-3, speeds.Count > 0 ? speeds[(int)(0.99 * (speeds.Count - 1))] : 0);

            foreach (var (magnitude, angle) in polar)
            {
                using var hue = new Mat();
                using var value = new Mat();
                angle.ConvertTo(hue, MatType.CV_8UC1, 0.5);
                magnitude.ConvertTo(value, MatType.CV_8UC1, 255 / fastest);
                using var saturation = new Mat(hue.Size(), MatType.CV_8UC1, Scalar.All(255));
                using var hsv = new Mat();
                Cv2.Merge([hue, saturation, value], hsv);
                var bgr = new Mat();
                Cv2.CvtColor(hsv, bgr, ColorConversionCodes.HSV2BGR);
                result.Add(bgr);
            }

            return result;
        }
        finally
        {
            foreach (var mat in fields.Concat(polar.SelectMany(p => new[] { p.Magnitude, p.Angle })))
            {
                mat.Dispose();
            }
        }
    }

    private static ParsedRecord Read(string recordFile, long recordNumber)
    {
        using var reader = TfRecordFile.OpenRead(recordFile);
        while (reader.TryRead(out var bytes))
        {
            if (reader.RecordCount - 1 == recordNumber)
            {
                return RecordFileInspector.Parse(recordFile, reader, bytes.Span);
            }
        }

        throw new OptionException("record", string.Create(CultureInfo.InvariantCulture,
            $"--record {recordNumber}: {recordFile} holds {reader.RecordCount} records (numbered from 0)"));
    }

    // Every stored image as 8-bit BGR, whatever its format, channels and depth.
    private static List<Mat> Decode(ParsedRecord record, IReadOnlyList<int> chosen, string recordFile, long recordNumber)
    {
        List<Mat> tiles;
        try
        {
            tiles = StoredImages.Decode(record, chosen);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{recordFile}: record {recordNumber}: {e.Message}"), e);
        }

        foreach (var tile in tiles)
        {
            if (tile.Depth() == MatType.CV_16U)
            {
                tile.ConvertTo(tile, MatType.MakeType(MatType.CV_8U, tile.Channels()), 1 / 257.0);
            }

            if (tile.Channels() == 1)
            {
                Cv2.CvtColor(tile, tile, ColorConversionCodes.GRAY2BGR);
            }
        }

        return tiles;
    }
}
