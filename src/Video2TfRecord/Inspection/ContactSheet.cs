using System.Globalization;
using OpenCvSharp;
using Video2TfRecord.Records;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Inspection;

/// <summary>
/// A contact sheet of one record: its stored frames side by side in rows, each labeled with its position and source
/// frame index, written as PNG. What people look at first to trust a dataset.
/// </summary>
public static class ContactSheet
{
    private const int Gap = 4;
    private const int Caption = 16;

    /// <summary>Draws record <paramref name="recordNumber"/> (0-based) of <paramref name="recordFile"/> into <paramref name="pngPath"/>.</summary>
    /// <returns>The number of frames drawn.</returns>
    /// <exception cref="UsageException">The record does not exist, or its images cannot be decoded.</exception>
    public static int Write(string recordFile, long recordNumber, string pngPath)
    {
        var record = Read(recordFile, recordNumber);
        var tiles = Decode(record, recordFile, recordNumber);
        try
        {
            if (tiles.Count == 0)
            {
                throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{recordFile}: record {recordNumber} holds no image"));
            }

            var width = tiles[0].Width;
            var height = tiles[0].Height;
            var columns = (int)Math.Ceiling(Math.Sqrt(tiles.Count));
            var rows = (tiles.Count + columns - 1) / columns;
            using var sheet = new Mat(Gap + (rows * (height + Caption + Gap)), Gap + (columns * (width + Gap)), MatType.CV_8UC3, new Scalar(40, 40, 40));
            var indices = record.FrameIndices;
            for (var i = 0; i < tiles.Count; i++)
            {
                var x = Gap + (i % columns * (width + Gap));
                var y = Gap + (i / columns * (height + Caption + Gap));
                using (var target = new Mat(sheet, new Rect(x, y + Caption, width, height)))
                {
                    tiles[i].CopyTo(target);
                }

                var label = i < indices.Count ? string.Create(CultureInfo.InvariantCulture, $"{i}: frame {indices[i]}") : i.ToString(CultureInfo.InvariantCulture);
                Cv2.PutText(sheet, label, new Point(x, y + Caption - 4), HersheyFonts.HersheyPlain, 0.9, Scalar.White, 1, LineTypes.AntiAlias);
            }

            if (!Cv2.ImWrite(pngPath, sheet))
            {
                throw new UsageException($"cannot write {pngPath} (the folder must exist and the name end in .png)");
            }

            return tiles.Count;
        }
        finally
        {
            foreach (var tile in tiles)
            {
                tile.Dispose();
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

        throw new UsageException(string.Create(CultureInfo.InvariantCulture,
            $"--record {recordNumber}: {recordFile} holds {reader.RecordCount} records (numbered from 0)"));
    }

    // Every stored image as 8-bit BGR, whatever its format, channels and depth.
    private static List<Mat> Decode(ParsedRecord record, string recordFile, long recordNumber)
    {
        List<Mat> tiles;
        try
        {
            tiles = StoredImages.Decode(record);
        }
        catch (InvalidDataException e)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{recordFile}: record {recordNumber}: {e.Message}"), e);
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
