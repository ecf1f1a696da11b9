using OpenCvSharp;
using Video2TfRecord.Inspection;
using Video2TfRecord.Records;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Flow;

/// <summary>
/// convert --flow end to end: a lossless video of a texture moving (+2, −1) px per frame, so every stored flow entry
/// has a known true value, read back from the record files and recovered to pixels.
/// </summary>
public class FlowConversionTests
{
    private const int Dx = 2;
    private const int Dy = -1;
    private const int Border = 12;

    private static string MakeVideo(TempDirectory temp, int frames = 20, string name = "texture")
    {
        var texture = new MovingTexture(96, 80, Dx, Dy);
        return TestVideo.Create(temp.Combine("in"), name, frames, TestCodec.Ffv1Mkv, texture.Width, texture.Height, draw: texture.Draw);
    }

    private static ParsedRecord Convert(TempDirectory temp, string output, params string[] options)
    {
        var run = CliRunner.Run(["convert", temp.Combine("in"), "-o", temp.Combine(output), "--quiet", .. options]);
        Assert.True(run.ExitCode == 0, run.Error);
        return RecordFiles.ReadAll(Directory.GetFiles(temp.Combine(output), "*.tfrecord").Single()).Single();
    }

    // Mean (dx, dy) over the frame without its border: the motion enters at the edges, which nothing can see.
    private static (double Dx, double Dy) InteriorMean(Mat field)
    {
        using var interior = new Mat(field, new Rect(Border, Border, field.Width - (2 * Border), field.Height - (2 * Border)));
        var mean = Cv2.Mean(interior);
        return (mean[0], mean[1]);
    }

    private static void AssertMotion(Mat field, double dx, double dy, double tolerance)
    {
        var (mx, my) = InteriorMean(field);
        Assert.True(Math.Abs(mx - dx) <= tolerance && Math.Abs(my - dy) <= tolerance, $"flow ({mx:F3}, {my:F3}), expected ({dx}, {dy}) ± {tolerance}");
    }

    [Theory]
    [InlineData("tvl1", 0.15)]
    [InlineData("farneback", 0.3)]
    [InlineData("dis", 0.2)]
    public void Next_pairs_hold_the_motion_to_the_following_source_frame(string method, double tolerance)
    {
        using var temp = new TempDirectory();
        MakeVideo(temp);

        var record = Convert(temp, "out", "--frames", "4", "--flow", method, "--encoding", "png");

        Assert.Equal([2, 7, 12, 17], record.FrameIndices);
        Assert.Equal(method, record.Text(ExampleLayout.FlowMethod));
        Assert.Equal("next", record.Text(ExampleLayout.FlowPairs));
        Assert.Equal(20f, record.Float(ExampleLayout.FlowBound));
        var fields = StoredFlow.Decode(record);
        Assert.Equal(4, fields.Count);
        Assert.All(fields, field => AssertMotion(field, Dx, Dy, tolerance));
    }

    [Fact]
    public void Flow_size_computes_smaller_and_stores_flow_scaled_back_to_the_frame_size()
    {
        using var temp = new TempDirectory();
        MakeVideo(temp);

        var record = Convert(temp, "out", "--frames", "3", "--flow", "tvl1", "--flow-size", "48x40", "--encoding", "png");

        // At half size the motion is (1, −0.5) px; stored at 96x80 it must read (2, −1) again.
        var fields = StoredFlow.Decode(record);
        Assert.All(fields, field => Assert.Equal((96, 80), (field.Width, field.Height)));
        Assert.All(fields, field => AssertMotion(field, Dx, Dy, 0.2));
    }

    [Fact]
    public void Stored_pairs_hold_the_motion_from_the_previous_stored_frame_and_zero_first()
    {
        using var temp = new TempDirectory();
        MakeVideo(temp, frames: 12);

        var record = Convert(temp, "out", "--frames", "4", "--flow", "tvl1", "--flow-pairs", "stored", "--encoding", "png");

        Assert.Equal([1, 4, 7, 10], record.FrameIndices);
        var fields = StoredFlow.Decode(record);
        // Zero flow is stored as round(255·20/40) = 128 (ties to even), which reads back as 0.078 px.
        using var x0 = Cv2.ImDecode(record.Bytes("flow/x/0")!.ToByteArray(), ImreadModes.Unchanged);
        Assert.Equal(x0.Total(), Cv2.CountNonZero(x0.InRange(new Scalar(128), new Scalar(128))));
        foreach (var field in fields.Skip(1))
        {
            AssertMotion(field, 3 * Dx, 3 * Dy, 0.25);
        }
    }

    [Fact]
    public void Sequence_layout_stores_r_x_g_y_b_zero_under_forward_flow_with_the_bound_and_full_chroma_jpeg()
    {
        using var temp = new TempDirectory();
        MakeVideo(temp);

        var record = Convert(temp, "out", "--frames", "3", "--flow", "tvl1", "--layout", "sequence", "--flow-bound", "10");

        Assert.Equal(10f, record.Float(SequenceLayout.FlowSaturation));
        Assert.Equal("JPEG", record.Text(SequenceLayout.FlowImageFormat));
        Assert.Equal(3, record.Int64(SequenceLayout.FlowChannels));
        var images = record.ListBytes(SequenceLayout.FlowEncoded);
        Assert.Equal(3, images.Count);
        Assert.Equal(record.Lists!.FeatureList[SequenceLayout.ImageTimestamp].Feature.Select(f => f.Int64List.Value[0]),
            record.Lists.FeatureList[SequenceLayout.FlowTimestamp].Feature.Select(f => f.Int64List.Value[0]));
        Assert.All(images, image => Assert.Equal([0x11, 0x11, 0x11], JpegSamplingFactors(image.ToByteArray())));
        using (var color = Cv2.ImDecode(images[0].ToByteArray(), ImreadModes.Color))
        {
            // Blue is the zero channel: 0 up to JPEG's color conversion and ringing, where x and y are ~140 and ~115.
            using var blue = color.ExtractChannel(0);
            Cv2.MinMaxLoc(blue, out double _, out double blueMax);
            Assert.True(blueMax <= 12 && Cv2.Mean(blue)[0] < 1.5, $"blue reaches {blueMax}, mean {Cv2.Mean(blue)[0]}");
        }

        Assert.All(StoredFlow.Decode(record), field => AssertMotion(field, Dx, Dy, 0.2));

        // The same keys, read by a reader that shares no code with the library (examples/pytorch_dataset.py's framing
        // and messages, Pillow's JPEG decoder).
        var check = CliProcess.RunProgram("/usr/bin/python3", Repository.Combine("tests", "python", "records_check.py"), "sequence",
            Directory.GetFiles(temp.Combine("out"), "*.tfrecord").Single());
        Assert.True(check.ExitCode == 0, check.Error);
        var read = System.Text.Json.JsonDocument.Parse(check.Output).RootElement;
        var context = read.GetProperty("context");
        Assert.Equal("JPEG", context.GetProperty("FORWARD_FLOW/image/format")[0].GetString());
        Assert.Equal(3, context.GetProperty("FORWARD_FLOW/image/channels")[0].GetInt64());
        Assert.Equal(10.0, context.GetProperty("FORWARD_FLOW/image/saturation")[0].GetDouble());
        Assert.Equal(context.GetProperty("image/height")[0].GetInt64(), context.GetProperty("FORWARD_FLOW/image/height")[0].GetInt64());
        Assert.Equal(context.GetProperty("image/width")[0].GetInt64(), context.GetProperty("FORWARD_FLOW/image/width")[0].GetInt64());
        Assert.Equal(context.GetProperty("image/frame_rate")[0].GetDouble(), context.GetProperty("FORWARD_FLOW/image/frame_rate")[0].GetDouble());
        Assert.Equal(3, read.GetProperty("lists").GetProperty("FORWARD_FLOW/image/encoded").GetInt32());
        var stamps = read.GetProperty("int64_lists");
        Assert.Equal(stamps.GetProperty("image/timestamp").EnumerateArray().Select(t => t.GetInt64()), stamps.GetProperty("FORWARD_FLOW/image/timestamp").EnumerateArray().Select(t => t.GetInt64()));
        // Motion (2, -1) at bound 10: R = 255·12/20 = 153 and G = 255·9/20 ≈ 115 inside the frame (less at the edges, where
        // nothing moves in), B = 0.
        Assert.All(read.GetProperty("flow").EnumerateArray(), image =>
        {
            Assert.Equal("JPEG", image.GetProperty("format").GetString());
            Assert.Equal("RGB", image.GetProperty("mode").GetString());
            var means = image.GetProperty("means").EnumerateArray().Select(m => m.GetDouble()).ToArray();
            Assert.True(means[0] is > 130 and < 160 && means[1] is > 105 and < 125 && means[2] < 2, $"flow image channel means {string.Join(", ", means)}");
        });
    }

    [Theory]
    [InlineData("raw", "rgb")]
    [InlineData("png", "gray")]
    public void Sixteen_bit_flow_maps_the_bound_to_65535(string encoding, string color)
    {
        using var temp = new TempDirectory();
        MakeVideo(temp);

        var record = Convert(temp, "out", "--frames", "2", "--flow", "tvl1", "--dtype", "uint16", "--encoding", encoding, "--color", color);

        Assert.Equal(encoding.ToUpperInvariant(), record.Text(ExampleLayout.FlowImageFormat));
        using var x = StoredImages.DecodeImage(record.Bytes("flow/x/0")!.Span, encoding.ToUpperInvariant(), (80, 96, 1), deep: true, 0);
        Assert.Equal(MatType.CV_16UC1, x.Type());
        // dx = 2 px maps to 65535·22/40 ≈ 36044; an 8-bit map scaled up would sit on multiples of 257.
        var mean = Cv2.Mean(new Mat(x, new Rect(Border, Border, 96 - (2 * Border), 80 - (2 * Border))))[0];
        Assert.InRange(mean, 65535 * 21.85 / 40, 65535 * 22.15 / 40);
        Assert.All(StoredFlow.Decode(record), field => AssertMotion(field, Dx, Dy, 0.15));
    }

    [Fact]
    public void Frames_all_gives_every_frame_flow_and_the_last_frame_zero()
    {
        using var temp = new TempDirectory();
        MakeVideo(temp, frames: 6);

        var record = Convert(temp, "out", "--frames", "all", "--flow", "farneback", "--encoding", "png");

        var fields = StoredFlow.Decode(record);
        Assert.Equal(6, fields.Count);
        foreach (var field in fields.Take(5))
        {
            AssertMotion(field, Dx, Dy, 0.3);
        }

        using var last = Cv2.ImDecode(record.Bytes("flow/y/5")!.ToByteArray(), ImreadModes.Unchanged);
        Assert.Equal(last.Total(), Cv2.CountNonZero(last.InRange(new Scalar(128), new Scalar(128))));
    }

    [Fact]
    public void Seed_format_appends_the_originals_channel_to_unchanged_rgb_frames()
    {
        using var temp = new TempDirectory();
        MakeVideo(temp);

        var plain = Convert(temp, "plain", "--frames", "3", "--encoding", "png");
        var seed = Convert(temp, "seed", "--frames", "3", "--flow", "farneback", "--flow-preset", "seed", "--flow-format", "seed", "--flow-pairs", "stored");

        Assert.Equal(4, seed.Channels);
        Assert.Equal("PNG", seed.Format);
        Assert.Equal("seed", seed.Text(ExampleLayout.FlowFormat));
        Assert.Null(seed.Bytes("flow/x/0"));
        var plainImages = StoredImages.Decode(plain);
        var seedImages = StoredImages.Decode(seed);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(4, seedImages[i].Channels());
            using var color = new Mat();
            Cv2.CvtColor(seedImages[i], color, ColorConversionCodes.BGRA2BGR);
            Assert.Equal(0, Cv2.Norm(color, plainImages[i], NormTypes.INF));
        }

        // Entry 0 has no previous stored frame: zero flow, a black channel. Later entries see motion.
        using var first = seedImages[0].ExtractChannel(3);
        using var second = seedImages[1].ExtractChannel(3);
        Assert.Equal(0, Cv2.CountNonZero(first));
        Assert.True(Cv2.CountNonZero(second) > second.Total() / 2);
    }

    [Fact]
    public void Flow_output_is_identical_across_runs_and_jobs()
    {
        using var temp = new TempDirectory();
        MakeVideo(temp, frames: 10, name: "a");
        MakeVideo(temp, frames: 14, name: "b");
        MakeVideo(temp, frames: 8, name: "c");

        byte[] Run(string output, string jobs)
        {
            var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine(output), "--frames", "3", "--flow", "tvl1", "--jobs", jobs, "--quiet");
            Assert.True(run.ExitCode == 0, run.Error);
            return File.ReadAllBytes(Directory.GetFiles(temp.Combine(output), "*.tfrecord").Single());
        }

        var one = Run("one", "1");
        Assert.Equal(one, Run("two", "2"));
        Assert.Equal(one, Run("again", "1"));
    }

    [Theory]
    [InlineData("--flow-pairs stored with --frames 1 has no pair", "--flow", "tvl1", "--frames", "1", "--flow-pairs", "stored")]
    [InlineData("--flow-preset seed is Farneback's", "--flow", "tvl1", "--flow-preset", "seed")]
    [InlineData("--flow-format seed (flow as a 4th channel) exists in the example layout only", "--flow", "farneback", "--flow-format", "seed", "--layout", "sequence")]
    [InlineData("which JPEG cannot hold", "--flow", "farneback", "--flow-format", "seed", "--encoding", "jpeg")]
    [InlineData("--flow-bound shapes optical flow: give --flow", "--flow-bound", "5")]
    [InlineData("--flow-bound: expected a number of pixels per frame from 0.001 to 10000, got '0'", "--flow", "dis", "--flow-bound", "0")]
    [InlineData("'sideways'", "--flow", "sideways")]
    [InlineData("--flow-size: flow needs frames of at least 8x8", "--flow", "tvl1", "--flow-size", "4x4")]
    [InlineData("--flow-size: expected WxH", "--flow", "tvl1", "--flow-size", "big")]
    public void Bad_flow_options_are_usage_errors_naming_the_option(string message, params string[] options)
    {
        using var temp = new TempDirectory();
        MakeVideo(temp, frames: 4);

        var run = CliRunner.Run(["convert", temp.Combine("in"), "-o", temp.Combine("out"), .. options]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("out")) && Directory.EnumerateFiles(temp.Combine("out"), "*.tfrecord").Any());
    }

    [Theory]
    [InlineData("stored")]
    [InlineData("next")]
    public void Repeated_frames_from_fps_sampling_get_zero_flow_between_them_or_share_their_next_pair(string pairs)
    {
        using var temp = new TempDirectory();
        var texture = new MovingTexture(96, 80, Dx, Dy);
        TestVideo.Create(temp.Combine("in"), "slow", 12, TestCodec.Ffv1Mkv, 96, 80, fps: 10, draw: texture.Draw);

        // 20 fps from a 10 fps video: every source frame is stored twice in a row.
        var record = Convert(temp, "out", "--fps", "20", "--frames", "6", "--flow", "tvl1", "--flow-pairs", pairs, "--encoding", "png");

        var indices = record.FrameIndices.Select(i => (int)i).ToArray();
        Assert.Equal(6, indices.Length);
        var fields = StoredFlow.Decode(record);
        for (var i = 0; i < indices.Length; i++)
        {
            var repeat = i > 0 && indices[i] == indices[i - 1];
            if (pairs == "stored" && (i == 0 || repeat))
            {
                // No motion from a frame to itself: exactly the zero level everywhere.
                using var x = Cv2.ImDecode(record.Bytes($"flow/x/{i}")!.ToByteArray(), ImreadModes.Unchanged);
                Assert.Equal(x.Total(), Cv2.CountNonZero(x.InRange(new Scalar(128), new Scalar(128))));
            }
            else
            {
                // stored: one source frame since the previous distinct one; next: one frame to the successor.
                AssertMotion(fields[i], Dx, Dy, 0.15);
            }
        }

        Assert.Contains(indices.Zip(indices.Skip(1)), p => p.First == p.Second);
    }

    [Fact]
    public void A_video_too_small_for_flow_fails_alone_with_its_reason()
    {
        using var temp = new TempDirectory();
        MakeVideo(temp, frames: 6, name: "big");
        var tiny = TestVideo.Create(temp.Combine("in"), "tiny", 6, TestCodec.Ffv1Mkv, 6, 6);

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "2", "--flow", "dis", "--quiet");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains(tiny, run.Error, StringComparison.Ordinal);
        Assert.Contains("frames of 6x6 are too small for optical flow (at least 8x8): give --size or --flow-size", run.Error, StringComparison.Ordinal);
        Assert.Equal(["big"], RecordFiles.ReadAll(Directory.GetFiles(temp.Combine("out"), "*.tfrecord").Single()).Select(r => r.Id));
    }

    // The component sampling factors (h << 4 | v) of a baseline or progressive JPEG's frame header.
    private static int[] JpegSamplingFactors(byte[] jpeg)
    {
        for (var i = 2; i + 9 < jpeg.Length;)
        {
            var marker = jpeg[i + 1];
            var length = (jpeg[i + 2] << 8) | jpeg[i + 3];
            if (marker is 0xC0 or 0xC1 or 0xC2)
            {
                var components = jpeg[i + 9];
                return Enumerable.Range(0, components).Select(c => (int)jpeg[i + 11 + (3 * c)]).ToArray();
            }

            i += 2 + length;
        }

        throw new InvalidDataException("no JPEG frame header");
    }
}
