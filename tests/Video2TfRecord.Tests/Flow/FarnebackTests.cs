using System.Runtime.InteropServices;
using OpenCvSharp;
using Video2TfRecord.Flow;
using Video2TfRecord.Tests.Fixtures;
using Video2TfRecord.Video;

namespace Video2TfRecord.Tests.Flow;

/// <summary>
/// The Farneback written here against OpenCV's <c>calcOpticalFlowFarneback</c> with the same parameters: the mean
/// endpoint distance between the two raw fields (no storage round trip) on synthetic motion and on decoded videos.
/// Measured: at most 7e-4 px on every synthetic pair here and 0.0016 px on the decoded ones (docs/performance.md); the
/// issue's limit is 0.01 px, the synthetic pairs are held to 0.001 so that a change of method shows. Where the method diverges, rounding decides: on testsrc2 frames cut
/// to 117×91 the seed preset reaches 200 px, and OpenCV's own field moves by 1.6 px on average when one pixel of the
/// later frame changes by one level; no pair here is like that.
/// </summary>
public class FarnebackTests(FlowPairsFixture pairs) : IClassFixture<FlowPairsFixture>
{
    private const double Agreement = 0.001;

    // Decoded testsrc2 has parts that move further than the seed preset follows (it loses track there, and rounding
    // decides): 0.0016 px measured on one pair, so decoded frames are held to the limit.
    private const double VideoAgreement = 0.01;

    public static TheoryData<FlowPreset, string> SyntheticPairs => new()
    {
        { FlowPreset.Default, "rotation" },
        { FlowPreset.Default, "translation" },
        { FlowPreset.Default, "square" },
        { FlowPreset.Seed, "rotation" },
        { FlowPreset.Seed, "translation" },
        { FlowPreset.Seed, "square" },
    };

    // Odd sizes with several levels (117x91: 2 default, 5 seed; 251x133: 3 and 7), sizes with one level, tiny
    // frames (below 10 px OpenCV weights only some edge pixels down), and a long thin frame.
    public static TheoryData<FlowPreset, int, int> Sizes => new()
    {
        { FlowPreset.Default, 117, 91 },
        { FlowPreset.Default, 251, 133 },
        { FlowPreset.Seed, 117, 91 },
        { FlowPreset.Seed, 251, 133 },
        { FlowPreset.Default, 37, 29 },
        { FlowPreset.Default, 8, 8 },
        { FlowPreset.Default, 9, 13 },
        { FlowPreset.Default, 65, 33 },
        { FlowPreset.Default, 203, 31 },
        { FlowPreset.Seed, 37, 29 },
        { FlowPreset.Seed, 8, 8 },
        { FlowPreset.Seed, 9, 13 },
        { FlowPreset.Seed, 65, 33 },
        { FlowPreset.Seed, 203, 31 },
    };

    public static TheoryData<FlowPreset, string> Videos => new()
    {
        { FlowPreset.Default, "testsrc2" },
        { FlowPreset.Default, "mandelbrot" },
        { FlowPreset.Seed, "testsrc2" },
        { FlowPreset.Seed, "mandelbrot" },
    };

    [Theory]
    [MemberData(nameof(SyntheticPairs))]
    public void Synthetic_motion_gives_OpenCVs_field(FlowPreset preset, string pair)
    {
        var frames = pairs.Get(pair);

        var (ours, distance) = Compare(preset, frames.Previous, frames.Next);

        Assert.True(distance <= Agreement, $"{preset} on {pair}: {distance:G3} px from OpenCV's field");
        AssertMoving(ours, $"{preset} on {pair}");
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Odd_and_tiny_frames_give_OpenCVs_field(FlowPreset preset, int width, int height)
    {
        using var frames = SyntheticFlow.Translation(width, height, 1.3, -0.7);

        var (ours, distance) = Compare(preset, frames.Previous, frames.Next);

        Assert.True(distance <= Agreement, $"{preset} on {width}x{height}: {distance:G3} px from OpenCV's field");
        AssertMoving(ours, $"{preset} on {width}x{height}");
    }

    [Theory]
    [MemberData(nameof(Videos))]
    public void Decoded_video_frames_give_OpenCVs_field(FlowPreset preset, string source)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine(source + ".mp4");
        ExternalProgram.Run("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", $"{source}=size=128x96:rate=25", "-frames:v", "12",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", path]);
        using var decoded = DecodedFrames.Of(new FFmpegDecoder(1), path, [0, 1, 5, 6, 10, 11]);
        Assert.Equal(6, decoded.Frames.Count);

        for (var i = 0; i < decoded.Frames.Count; i += 2)
        {
            using var previous = Gray(decoded.Frames[i].Frame);
            using var next = Gray(decoded.Frames[i + 1].Frame);

            var (ours, distance) = Compare(preset, previous, next);

            Assert.True(distance <= VideoAgreement, $"{preset} on {source} frame {decoded.Frames[i].Index}: {distance:G3} px from OpenCV's field");
            AssertMoving(ours, $"{preset} on {source} frame {decoded.Frames[i].Index}");
        }
    }

    [Theory]
    [InlineData(FlowPreset.Default)]
    [InlineData(FlowPreset.Seed)]
    public void Pairs_that_share_a_frame_give_the_bytes_of_pairs_computed_alone(FlowPreset preset)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("clip.mp4");
        ExternalProgram.Run("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=117x91:rate=25", "-frames:v", "5",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", path]);
        using var decoded = DecodedFrames.Of(new FFmpegDecoder(1), path, [0, 1, 2, 3, 4]);
        var frames = decoded.Frames.Select(f => Gray(f.Frame)).ToList();
        // Chained pairs reuse the shared frame's expansion; (0, 2) after (1, 2) and (4, 3) after it must not (its earlier
        // frame is not the last later one), and (3, 4) after (4, 3) must not take 3's expansion for 4's.
        (int, int)[] order = [(0, 1), (1, 2), (2, 3), (0, 2), (2, 3), (3, 4), (4, 3), (3, 4), (3, 4)];
        using var chained = new FarnebackFlow(preset);
        try
        {
            foreach (var (i, j) in order)
            {
                using var alone = new FarnebackFlow(preset);
                using var expected = new Mat();
                using var actual = new Mat();
                alone.Compute(frames[i], frames[j], expected);
                chained.Compute(frames[i], frames[j], actual);

                Assert.True(Floats(expected).SequenceEqual(Floats(actual)), $"pair ({i}, {j}) differs when computed after the others");
            }
        }
        finally
        {
            frames.ForEach(f => f.Dispose());
        }
    }

    [Theory]
    [InlineData(FlowPreset.Default)]
    [InlineData(FlowPreset.Seed)]
    public void Sampling_eight_pixels_at_a_time_gives_the_bytes_of_sampling_one_at_a_time(FlowPreset preset)
    {
        using var vector = new FarnebackFlow(preset);
        using var scalar = new FarnebackFlow(FarnebackParameters.For(preset)) { ScalarSampling = true };
        using var a = new Mat();
        using var b = new Mat();

        vector.Compute(pairs.MovingSquare.Previous, pairs.MovingSquare.Next, a);
        scalar.Compute(pairs.MovingSquare.Previous, pairs.MovingSquare.Next, b);

        Assert.Equal(Floats(b), Floats(a));
    }

    [Fact]
    public void Parameters_out_of_range_are_rejected_when_the_method_is_made()
    {
        var scale = Assert.Throws<ArgumentOutOfRangeException>(() => new FarnebackFlow(new FarnebackParameters { PyramidScale = 1 }));
        var window = Assert.Throws<ArgumentOutOfRangeException>(() => new FarnebackFlow(new FarnebackParameters { WindowSize = 0 }));

        Assert.Equal("PyramidScale", scale.ParamName);
        Assert.Equal("WindowSize", window.ParamName);
    }

    private static (float[] Ours, double Distance) Compare(FlowPreset preset, Mat previous, Mat next)
    {
        using var ours = new FarnebackFlow(preset);
        using var opencv = new OpenCvFarnebackFlow(preset);
        using var a = new Mat();
        using var b = new Mat();
        ours.Compute(previous, next, a);
        opencv.Compute(previous, next, b);
        Assert.Equal(b.Size(), a.Size());
        var (x, y) = (Floats(a), Floats(b));
        double sum = 0;
        for (var i = 0; i < x.Length; i += 2)
        {
            sum += Math.Sqrt(((x[i] - y[i]) * (x[i] - y[i])) + ((x[i + 1] - y[i + 1]) * (x[i + 1] - y[i + 1])));
        }

        return (x, sum / (x.Length / 2));
    }

    // Finite everywhere, and not the all-zero field a method that does nothing would give (and OpenCV's agrees with
    // where nothing moves): the pairs above all move by about a pixel somewhere.
    private static void AssertMoving(float[] field, string what)
    {
        Assert.All(field, value => Assert.True(float.IsFinite(value), $"{what}: {value}"));
        var largest = 0.0;
        for (var i = 0; i < field.Length; i += 2)
        {
            largest = Math.Max(largest, Math.Sqrt((field[i] * field[i]) + (field[i + 1] * field[i + 1])));
        }

        Assert.True(largest >= 0.25, $"{what}: the largest displacement is {largest:G3} px");
    }

    private static Mat Gray(Mat rgb)
    {
        var gray = new Mat();
        Cv2.CvtColor(rgb, gray, ColorConversionCodes.RGB2GRAY);
        return gray;
    }

    private static float[] Floats(Mat mat)
    {
        Assert.True(mat.IsContinuous());
        var floats = new float[mat.Total() * 2];
        Marshal.Copy(mat.Data, floats, 0, floats.Length);
        return floats;
    }
}
