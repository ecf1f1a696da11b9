using OpenCvSharp;
using Video2TfRecord.Records;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Tests.Fixtures;

/// <summary>Reads records back with the library's reader and decodes stored images for assertions.</summary>
public static class RecordFiles
{
    public static List<ParsedRecord> ReadAll(string path)
    {
        var records = new List<ParsedRecord>();
        using var reader = TfRecordFile.OpenRead(path);
        while (reader.TryRead(out var bytes))
        {
            records.Add(ParsedRecord.Parse(bytes.Span));
        }

        return records;
    }

    public static List<byte[]> ReadRaw(string path)
    {
        var records = new List<byte[]>();
        using var reader = TfRecordFile.OpenRead(path);
        while (reader.TryRead(out var bytes))
        {
            records.Add(bytes.ToArray());
        }

        return records;
    }

    /// <summary>Decodes every stored image to an OpenCV Mat (BGR for color), raw images included.</summary>
    public static List<Mat> DecodeImages(ParsedRecord record)
    {
        var height = (int)record.Height!.Value;
        var width = (int)record.Width!.Value;
        var channels = (int)record.Channels!.Value;
        var deep = record.Dtype == "uint16";
        var mats = new List<Mat>();
        foreach (var image in record.Images())
        {
            if (record.Format == "RAW")
            {
                var type = MatType.MakeType(deep ? MatType.CV_16U : MatType.CV_8U, channels);
                var mat = new Mat(height, width, type);
                System.Runtime.InteropServices.Marshal.Copy(image.ToByteArray(), 0, mat.Data, image.Length);
                if (channels == 3)
                {
                    Cv2.CvtColor(mat, mat, ColorConversionCodes.RGB2BGR);
                }

                mats.Add(mat);
            }
            else
            {
                var mat = Cv2.ImDecode(image.ToByteArray(), ImreadModes.Unchanged);
                Assert.False(mat.Empty(), "a stored image does not decode");
                mats.Add(mat);
            }
        }

        return mats;
    }

    public static int[] StoredPatternIndices(ParsedRecord record) =>
        DecodeImages(record).Select(PatternFrames.ReadIndex).ToArray();
}
