using System.Buffers.Binary;
using System.Globalization;
using OpenCvSharp;
using Video2TfRecord.Records;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Inspection;

public class IndexAndPreviewTests
{
    // The sheet's title band (the record's id) above the tiles.
    private const int Title = 16;

    private static string ConvertThree(TempDirectory temp, params string[] options)
    {
        foreach (var (name, frames) in new[] { ("a", 12), ("b", 20), ("c", 9) })
        {
            TestVideo.Create(temp.Combine("in"), name, frames, TestCodec.H264Mp4, 64, 48);
        }

        var run = CliRunner.Run(["convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "3", "--videos-per-file", "3", .. options]);
        Assert.True(run.ExitCode == 0, run.Error);
        return Directory.GetFiles(temp.Combine("out"), "*.tfrecord").Single();
    }

    private static List<(long Offset, long Length)> ReadIndex(string path) =>
        File.ReadAllLines(path)
            .Select(line => line.Split(' '))
            .Select(parts => (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture)))
            .ToList();

    [Fact]
    public void Convert_index_gives_each_records_offset_and_framed_length()
    {
        using var temp = new TempDirectory();
        var file = ConvertThree(temp, "--index");

        var index = ReadIndex(file + ".idx");
        var bytes = File.ReadAllBytes(file);

        Assert.Equal(3, index.Count);
        Assert.Equal(0, index[0].Offset);
        Assert.Equal(bytes.LongLength, index[^1].Offset + index[^1].Length);
        var ids = new List<string?>();
        for (var i = 0; i < index.Count; i++)
        {
            var (offset, length) = index[i];
            if (i > 0)
            {
                Assert.Equal(index[i - 1].Offset + index[i - 1].Length, offset);
            }

            // Each entry spans exactly one framed record: 8-byte length, 4-byte CRC, data, 4-byte CRC.
            var dataLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan((int)offset, 8));
            Assert.Equal(dataLength + 16, length);
            ids.Add(ParsedRecord.Parse(bytes.AsSpan((int)offset + 12, (int)dataLength)).Id);
        }

        Assert.Equal(["a", "b", "c"], ids);
    }

    [Fact]
    public void Index_command_writes_what_convert_wrote()
    {
        using var temp = new TempDirectory();
        var file = ConvertThree(temp, "--index");
        var written = File.ReadAllText(file + ".idx");
        File.Delete(file + ".idx");

        var run = CliRunner.Run("index", temp.Combine("out"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains($"{file}.idx: 3 records", run.Output, StringComparison.Ordinal);
        Assert.Equal(written, File.ReadAllText(file + ".idx"));
    }

    [Fact]
    public void Index_refuses_compressed_records_by_name()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "a", 10, TestCodec.H264Mp4, 64, 48);
        Assert.Equal(0, CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "2", "--compression", "gzip").ExitCode);
        var file = Directory.GetFiles(temp.Combine("out"), "*.gz").Single();

        var run = CliRunner.Run("index", file);
        var convert = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out2"), "--compression", "gzip", "--index");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{file} is gzip-compressed", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(file + ".idx"));
        Assert.Equal(1, convert.ExitCode);
        Assert.Contains("--index needs uncompressed records", convert.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("jpeg", "sequence", "uint8")]
    [InlineData("raw", "example", "uint16")]
    [InlineData("png", "example", "uint16")]
    public void Preview_draws_the_stored_frames_in_order_and_in_color(string encoding, string layout, string dtype)
    {
        using var temp = new TempDirectory();
        var file = ConvertThree(temp, "--encoding", encoding, "--layout", layout, "--dtype", dtype);
        var sheet = temp.Combine("sheet.png");

        var run = CliRunner.Run("preview", file, "--record", "1", "-o", sheet);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("3 frames of record 1", run.Output, StringComparison.Ordinal);
        using var png = Cv2.ImRead(sheet, ImreadModes.Color);
        // Three 64x48 tiles in a 2x2 grid: 4 px gaps, a 16 px caption above each tile.
        Assert.Equal((4 + (2 * (64 + 4)), Title + 4 + (2 * (48 + 16 + 4))), (png.Width, png.Height));
        var expected = new[] { 3, 10, 16 }; // record 1 is "b", 20 frames, centered sampling of 3
        for (var i = 0; i < 3; i++)
        {
            using var tile = new Mat(png, new Rect(4 + (i % 2 * 68), Title + 4 + (i / 2 * 68) + 16, 64, 48));
            Assert.Equal(expected[i], PatternFrames.ReadIndex(tile));
            Assert.Equal("RGB", PatternFrames.ReadPatchOrder(tile));
        }

        // The caption strip holds drawn text (white pixels), the gap does not.
        using var caption = new Mat(png, new Rect(4, Title + 4, 64, 16));
        Assert.True(Cv2.CountNonZero(caption.CvtColor(ColorConversionCodes.BGR2GRAY).Threshold(200, 255, ThresholdTypes.Binary)) > 10);
    }

    [Fact]
    public void Preview_draws_xy_flow_under_each_frame_with_hue_for_direction()
    {
        using var temp = new TempDirectory();
        var texture = new MovingTexture(96, 80, 2, -1);
        TestVideo.Create(temp.Combine("in"), "moving", 20, TestCodec.Ffv1Mkv, 96, 80, draw: texture.Draw);
        Assert.Equal(0, CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "3", "--flow", "tvl1", "--quiet").ExitCode);
        var sheet = temp.Combine("flow.png");

        var run = CliRunner.Run("preview", Directory.GetFiles(temp.Combine("out"), "*.tfrecord").Single(), "-o", sheet);

        Assert.True(run.ExitCode == 0, run.Error);
        using var png = Cv2.ImRead(sheet, ImreadModes.Color);
        // Cells of caption, frame, flow: 2x2 grid of 96 wide, 16 + 80 + 80 high cells.
        Assert.Equal((4 + (2 * (96 + 4)), Title + 4 + (2 * (16 + 160 + 4))), (png.Width, png.Height));
        using var flowTile = new Mat(png, new Rect(4 + 12, Title + 4 + 16 + 80 + 12, 96 - 24, 80 - 24));
        using var hsv = flowTile.CvtColor(ColorConversionCodes.BGR2HSV);
        var mean = Cv2.Mean(hsv);
        // Motion (2, -1) points at atan2(-1, 2) = 333.4°, OpenCV hue 166.7; the only motion on the sheet, so bright (scaled to the 99th percentile speed).
        Assert.InRange(mean[0], 160, 173);
        Assert.True(mean[2] > 100, $"flow tile brightness {mean[2]}");
    }

    [Fact]
    public void Preview_of_a_long_record_draws_at_most_max_tiles_evenly_chosen_frames()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "long", 100, TestCodec.MjpegAvi, 32, 24);
        Assert.Equal(0, CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "all", "--quiet").ExitCode);
        var file = temp.Combine("out", "videos-00000-of-00001.tfrecord");

        var capped = CliRunner.Run("preview", file, "-o", temp.Combine("capped.png"));
        var four = CliRunner.Run("preview", file, "-o", temp.Combine("four.jpg"), "--max-tiles", "4");

        Assert.Equal($"{temp.Combine("capped.png")}: 64 of the 100 frames of record 0, evenly chosen (--max-tiles)\n", capped.Output);
        using (var png = Cv2.ImRead(temp.Combine("capped.png"), ImreadModes.Color))
        {
            Assert.Equal((4 + (8 * (32 + 4)), Title + 4 + (8 * (24 + 16 + 4))), (png.Width, png.Height));
        }

        Assert.Equal(0, four.ExitCode);
        Assert.Equal([0xFF, 0xD8], File.ReadAllBytes(temp.Combine("four.jpg"))[..2]);
        using var jpeg = Cv2.ImRead(temp.Combine("four.jpg"), ImreadModes.Color);
        int[] expected = [0, 33, 66, 99];
        for (var i = 0; i < 4; i++)
        {
            using var tile = new Mat(jpeg, new Rect(4 + (i % 2 * 36), Title + 4 + (i / 2 * 44) + 16, 32, 24));
            Assert.Equal(expected[i], PatternFrames.ReadIndex(tile));
        }
    }

    [Theory]
    [InlineData("sheet.gif", "the sheet is written as PNG or JPEG; give a name ending in .png, .jpg or .jpeg")]
    [InlineData("", "is a folder; give the sheet's file name, ending in .png or .jpg")]
    public void Preview_refuses_a_sheet_name_it_cannot_write(string name, string message)
    {
        using var temp = new TempDirectory();
        var file = ConvertThree(temp);

        var run = CliRunner.Run("preview", file, "-o", name.Length == 0 ? temp.Path : temp.Combine(name));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Preview_of_a_missing_record_names_how_many_there_are()
    {
        using var temp = new TempDirectory();
        var file = ConvertThree(temp);

        var run = CliRunner.Run("preview", file, "--record", "7", "-o", temp.Combine("x.png"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"--record 7: {file} holds 3 records", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.Combine("x.png")));
    }
}
