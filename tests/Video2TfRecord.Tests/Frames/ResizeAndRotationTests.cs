using System.Buffers.Binary;
using OpenCvSharp;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Frames;

public class ResizeAndRotationTests
{
    // A lossless 64x48 source stored as PNG: stored pixels can be compared exactly with the drawn pattern.
    private static Mat ConvertOne(TempDirectory temp, params string[] options)
    {
        TestVideo.Create(temp.Combine("in"), "clip", 6, TestCodec.Ffv1Mkv, 64, 48);
        var run = CliRunner.Run(["convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "1", "--encoding", "png", .. options]);
        Assert.True(run.ExitCode == 0, run.Error);
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        return RecordFiles.DecodeImages(record)[0];
    }

    private static Mat Source(int index)
    {
        var rgb = PatternFrames.DrawRgb(index, 64, 48);
        var mat = new Mat(48, 64, MatType.CV_8UC3);
        System.Runtime.InteropServices.Marshal.Copy(rgb, 0, mat.Data, rgb.Length);
        Cv2.CvtColor(mat, mat, ColorConversionCodes.RGB2BGR);
        return mat;
    }

    private static void AssertSame(Mat expected, Mat actual)
    {
        Assert.Equal(expected.Size(), actual.Size());
        using var diff = new Mat();
        Cv2.Absdiff(expected, actual, diff);
        Assert.Equal(0, Cv2.CountNonZero(diff.Reshape(1)));
    }

    [Fact]
    public void Fit_pads_black_with_the_image_centered()
    {
        using var temp = new TempDirectory();

        using var stored = ConvertOne(temp, "--size", "64x64", "--resize", "fit");

        Assert.Equal(new Size(64, 64), stored.Size());
        using var source = Source(3);
        AssertSame(source, new Mat(stored, new Rect(0, 8, 64, 48)));
        Assert.Equal(0, Cv2.CountNonZero(new Mat(stored, new Rect(0, 0, 64, 8)).Reshape(1)));
        Assert.Equal(0, Cv2.CountNonZero(new Mat(stored, new Rect(0, 56, 64, 8)).Reshape(1)));
    }

    [Fact]
    public void Fill_crops_the_center_at_half_the_excess()
    {
        using var temp = new TempDirectory();

        using var stored = ConvertOne(temp, "--size", "48x48", "--resize", "fill");

        using var source = Source(3);
        AssertSame(new Mat(source, new Rect(8, 0, 48, 48)), stored);
    }

    [Fact]
    public void Fit_that_shrinks_keeps_the_aspect_ratio()
    {
        using var temp = new TempDirectory();

        using var stored = ConvertOne(temp, "--size", "32x32", "--resize", "fit");

        Assert.Equal(new Size(32, 32), stored.Size());
        Assert.Equal(0, Cv2.CountNonZero(new Mat(stored, new Rect(0, 0, 32, 4)).Reshape(1)));
        Assert.Equal(3, PatternFrames.ReadIndex(new Mat(stored, new Rect(0, 4, 32, 24))));
    }

    [Fact]
    public void Short_side_scales_the_short_side_keeping_the_aspect_ratio()
    {
        using var temp = new TempDirectory();

        using var stored = ConvertOne(temp, "--short-side", "24");

        Assert.Equal(new Size(32, 24), stored.Size());
        Assert.Equal(3, PatternFrames.ReadIndex(stored));
        Assert.Equal("RGB", PatternFrames.ReadPatchOrder(stored));
    }

    [Theory]
    [InlineData(new[] { "--resize", "short-side", "--short-side", "24", "--size", "10x10" }, "--resize short-side")]
    [InlineData(new[] { "--resize", "fit" }, "--size")]
    [InlineData(new[] { "--short-side", "0" }, "--short-side")]
    [InlineData(new[] { "--resize", "zoom" }, "--resize")]
    public void Resize_options_that_cannot_work_exit_1(string[] options, string named)
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "clip", 2, TestCodec.MjpegAvi, 32, 24);

        var run = CliRunner.Run(["convert", temp.Combine("in"), "-o", temp.Combine("out"), .. options]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(named, run.Error.Split('\n')[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Rotation_metadata_is_applied_the_way_ffmpeg_applies_it()
    {
        using var temp = new TempDirectory();
        var path = TestVideo.Create(temp.Combine("in"), "phone", 5, TestCodec.H264Mp4, 64, 48);
        RotateNinetyDegrees(path);
        var reference = temp.Combine("ffmpeg.png");
        ExternalProgram.Run("ffmpeg", ["-v", "error", "-y", "-i", path, "-vf", "select=eq(n\\,2)", "-frames:v", "1", reference]);

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "1", "--encoding", "png");

        Assert.True(run.ExitCode == 0, run.Error);
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        Assert.Equal((64L, 48L), (record.Height!.Value, record.Width!.Value));
        using var stored = RecordFiles.DecodeImages(record)[0];
        using var expected = Cv2.ImRead(reference);
        Assert.Equal(expected.Size(), stored.Size());
        using var diff = new Mat();
        Cv2.Absdiff(expected, stored, diff);
        Assert.True(Cv2.Mean(diff).Val0 < 4, $"mean difference {Cv2.Mean(diff).Val0} against ffmpeg's upright frame");
    }

    // Writes a 90° display matrix into the mp4's track header, as phones do.
    private static void RotateNinetyDegrees(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var tkhd = bytes.AsSpan().IndexOf("tkhd"u8);
        Assert.True(tkhd > 0 && bytes[tkhd + 4] == 0, "expected a version 0 tkhd box");
        var matrix = bytes.AsSpan(tkhd + 4 + 40, 36);
        int[] rotate = [0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000];
        for (var i = 0; i < rotate.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(matrix[(4 * i)..], rotate[i]);
        }

        File.WriteAllBytes(path, bytes);
    }
}
