using OpenCvSharp;
using Video2TfRecord.Records;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Conversion;

/// <summary>The whole path through the real command line: generated videos in, record files out, images decoded back.</summary>
public class ConvertCommandTests
{
    public static TheoryData<TestCodec> Codecs => [TestCodec.H264Mp4, TestCodec.Mpeg4Avi, TestCodec.MjpegAvi, TestCodec.Ffv1Mkv, TestCodec.Vp9Webm, TestCodec.Mpeg2Ps];

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Convert_keeps_the_centered_frames_in_rgb_order(TestCodec codec)
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "clip", 30, codec);

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "4");

        Assert.True(run.ExitCode == 0, run.Error);
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        Assert.Equal(RecordLayout.Example, record.Layout);
        Assert.Equal(new long[] { 3, 11, 18, 26 }, record.FrameIndices);
        Assert.Equal(new[] { 3, 11, 18, 26 }, RecordFiles.StoredPatternIndices(record));
        Assert.All(RecordFiles.DecodeImages(record), image => Assert.Equal("RGB", PatternFrames.ReadPatchOrder(image)));
        Assert.Equal(new long[] { 120_000, 440_000, 720_000, 1_040_000 }, record.Int64s(ExampleLayout.FrameTimestamp));
        Assert.Equal(30, record.Int64(ExampleLayout.VideoFrameCount));
        Assert.Equal(25f, record.Float(ExampleLayout.VideoFps));
        Assert.Equal((120L, 160L, 3L), (record.Height!.Value, record.Width!.Value, record.Channels!.Value));
        Assert.Equal("clip", record.Id);
        Assert.Equal("clip" + TestVideo.Extension(codec), record.VideoPath);
        Assert.Equal("JPEG", record.Format);
        Assert.Equal("uint8", record.Dtype);
        Assert.Equal("RGB", record.Text(ExampleLayout.ImageColorspace));
    }

    [Fact]
    public void Png_of_a_lossless_source_holds_the_exact_pixels_in_rgb_order()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "clip", 12, TestCodec.Ffv1Mkv, 64, 48);

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "3", "--encoding", "png");

        Assert.True(run.ExitCode == 0, run.Error);
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        Assert.Equal("PNG", record.Format);
        Assert.Equal(new long[] { 2, 6, 10 }, record.FrameIndices);
        var images = RecordFiles.DecodeImages(record);
        for (var i = 0; i < images.Count; i++)
        {
            using var rgb = new Mat();
            Cv2.CvtColor(images[i], rgb, ColorConversionCodes.BGR2RGB);
            Assert.True(rgb.GetArray(out Vec3b[] pixels));
            var expected = PatternFrames.DrawRgb((int)record.FrameIndices[i], 64, 48);
            Assert.Equal(expected, pixels.SelectMany(p => new[] { p.Item0, p.Item1, p.Item2 }).ToArray());
        }
    }

    [Fact]
    public void Raw_encoding_stores_row_major_rgb_bytes_like_the_original_tool()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "clip", 8, TestCodec.Ffv1Mkv, 64, 48);

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "2", "--encoding", "raw");

        Assert.True(run.ExitCode == 0, run.Error);
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        Assert.Equal("RAW", record.Format);
        var blob = record.Images()[1].ToByteArray();
        Assert.Equal(PatternFrames.DrawRgb((int)record.FrameIndices[1], 64, 48), blob);
        // The first pixel of the bottom-left patch is pure red: R first.
        var p = (47 * 64 + 0) * 3;
        Assert.Equal(new byte[] { 255, 0, 0 }, blob[p..(p + 3)]);
    }

    [Fact]
    public void Sequence_layout_uses_media_sequence_keys()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in", "class a"), "clip", 30, TestCodec.H264Mp4);

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "4", "--layout", "sequence");

        Assert.True(run.ExitCode == 0, run.Error);
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        Assert.Equal(RecordLayout.Sequence, record.Layout);
        Assert.Equal("class a/clip", record.Text(SequenceLayout.ExampleId));
        Assert.Equal("class a/clip", record.Text(SequenceLayout.MediaId));
        Assert.Equal("class a/clip.mp4", record.Text(SequenceLayout.DataPath));
        Assert.Equal("JPEG", record.Text(SequenceLayout.ImageFormat));
        Assert.Equal(3, record.Int64(SequenceLayout.ImageChannels));
        Assert.Equal(120, record.Int64(SequenceLayout.ImageHeight));
        Assert.Equal(160, record.Int64(SequenceLayout.ImageWidth));
        Assert.Equal(25f, record.Float(SequenceLayout.ImageFrameRate));
        Assert.Equal(120_000, record.Int64(SequenceLayout.StartTimestamp));
        Assert.Equal(1_040_000, record.Int64(SequenceLayout.EndTimestamp));
        Assert.Equal(new long[] { 3, 11, 18, 26 }, record.FrameIndices);
        Assert.Equal(new[] { 3, 11, 18, 26 }, RecordFiles.StoredPatternIndices(record));
        var timestamps = record.Lists!.FeatureList[SequenceLayout.ImageTimestamp].Feature.Select(f => f.Int64List.Value[0]);
        Assert.Equal(new long[] { 120_000, 440_000, 720_000, 1_040_000 }, timestamps);
    }

    [Theory]
    [InlineData("gzip", ".tfrecord.gz")]
    [InlineData("zlib", ".tfrecord.zz")]
    public void Compressed_output_holds_the_same_records_as_plain_output(string compression, string extension)
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "clip", 10, TestCodec.Mpeg4Avi);

        Assert.Equal(0, CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("plain"), "--frames", "3").ExitCode);
        Assert.Equal(0, CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("packed"), "--frames", "3", "--compression", compression).ExitCode);

        var plain = RecordFiles.ReadRaw(temp.Combine("plain", "videos-00000-of-00001.tfrecord"));
        var packed = RecordFiles.ReadRaw(temp.Combine("packed", "videos-00000-of-00001" + extension));
        Assert.Equal(plain, packed);
        // And read by Python's own gzip and zlib through examples/pytorch_dataset.py's framing, CRCs checked.
        var check = CliProcess.RunProgram("/usr/bin/python3", Repository.Combine("tests", "python", "records_check.py"), "same",
            temp.Combine("plain", "videos-00000-of-00001.tfrecord"), temp.Combine("packed", "videos-00000-of-00001" + extension));
        Assert.True(check.ExitCode == 0, check.Error);
        Assert.Equal("same 1\n", check.Output);
    }

    [Fact]
    public void Videos_are_sharded_in_sorted_order_n_per_file()
    {
        using var temp = new TempDirectory();
        foreach (var name in new[] { "e", "a", "c", "b", "d" })
        {
            TestVideo.Create(temp.Combine("in"), name, 3, TestCodec.MjpegAvi, 32, 24);
        }

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "2", "--videos-per-file", "2", "--prefix", "train");

        Assert.True(run.ExitCode == 0, run.Error);
        var files = Directory.GetFiles(temp.Combine("out"), "*.tfrecord").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(["train-00000-of-00003.tfrecord", "train-00001-of-00003.tfrecord", "train-00002-of-00003.tfrecord"], files);
        var ids = Enumerable.Range(0, 3)
            .Select(k => RecordFiles.ReadAll(temp.Combine("out", $"train-0000{k}-of-00003.tfrecord")).Select(r => r.Id).ToArray())
            .ToArray();
        Assert.Equal([["a", "b"], ["c", "d"], ["e"]], ids);
        Assert.Contains(temp.Combine("out", "train-00002-of-00003.tfrecord"), run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void All_frames_and_resize_keep_every_index_readable()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "clip", 12, TestCodec.H264Mp4);

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "all", "--size", "80x60");

        Assert.True(run.ExitCode == 0, run.Error);
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), record.FrameIndices);
        Assert.Equal(Enumerable.Range(0, 12), RecordFiles.StoredPatternIndices(record));
        Assert.Equal((60L, 80L), (record.Height!.Value, record.Width!.Value));
        Assert.All(RecordFiles.DecodeImages(record), image => Assert.Equal((80, 60), (image.Width, image.Height)));
    }

    [Fact]
    public void Short_videos_repeat_their_last_frame_and_say_so_in_the_indices()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "short", 3, TestCodec.Ffv1Mkv, 32, 24);

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "5");

        Assert.True(run.ExitCode == 0, run.Error);
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        Assert.Equal(new long[] { 0, 1, 2, 2, 2 }, record.FrameIndices);
        Assert.Equal(new[] { 0, 1, 2, 2, 2 }, RecordFiles.StoredPatternIndices(record));
        Assert.Equal(3, record.Int64(ExampleLayout.VideoFrameCount));
    }

    [Fact]
    public void Gray_uint16_png_scales_values_by_257()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "clip", 4, TestCodec.Ffv1Mkv, 64, 48);

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "2", "--color", "gray", "--dtype", "uint16");

        Assert.True(run.ExitCode == 0, run.Error);
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        Assert.Equal(("PNG", "uint16", "GRAY", 1L), (record.Format, record.Dtype, record.Text(ExampleLayout.ImageColorspace), record.Channels!.Value));
        var image = RecordFiles.DecodeImages(record)[1];
        Assert.Equal(MatType.CV_16UC1, image.Type());
        Assert.Equal(128 * 257, image.At<ushort>(18, 10)); // the gray band
        Assert.Equal(new[] { 1, 3 }, RecordFiles.StoredPatternIndices(record));
    }

    [Fact]
    public void No_temporary_file_is_left_after_a_run()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "clip", 3, TestCodec.MjpegAvi, 32, 24);

        Assert.Equal(0, CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "1").ExitCode);

        Assert.Equal(["manifest.json", "videos-00000-of-00001.tfrecord", "videos.jsonl"],
            Directory.GetFiles(temp.Combine("out")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
