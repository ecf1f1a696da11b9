using System.Text.Json;
using Video2TfRecord.Records;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Sampling;

/// <summary>
/// The sampling formulas of docs/architecture.md end to end: pattern videos in four codecs converted by the real command
/// line, every stored image decoded back to the source frame it draws.
/// </summary>
public class SamplingAcrossCodecsTests
{
    private static readonly TestCodec[] Codecs = [TestCodec.H264Mp4, TestCodec.Mpeg4Avi, TestCodec.MjpegAvi, TestCodec.Ffv1Mkv];

    private static readonly string[] Modes = ["centered", "linspace", "seed"];

    // (T, N): shorter than asked, exactly as long, a single frame, and a long video. 402 into 9 puts a linspace tie at
    // i = 4 (4·401/8 = 200.5), where half-to-even gives 200 and half-up would give 201.
    private static readonly (int Total, int Asked)[] Lengths = [(3, 5), (6, 6), (1, 4), (402, 9)];

    public static TheoryData<TestCodec, string, int, int> Cases
    {
        get
        {
            var cases = new TheoryData<TestCodec, string, int, int>();
            foreach (var codec in Codecs)
            {
                foreach (var (total, asked) in Lengths)
                {
                    foreach (var mode in Modes)
                    {
                        cases.Add(codec, mode, total, asked);
                    }
                }
            }

            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_mode_stores_exactly_the_promised_frames_in_every_codec(TestCodec codec, string mode, int total, int asked)
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "clip", total, codec, 48, 32);

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", $"{asked}", "--sampling", mode);

        Assert.True(run.ExitCode == 0, run.Error);
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        var expected = Promised(mode, total, asked);
        Assert.Equal(expected, record.FrameIndices);
        Assert.Equal(expected.Select(i => (int)i), RecordFiles.StoredPatternIndices(record));
        Assert.Equal(total, record.Int64(ExampleLayout.VideoFrameCount));
    }

    [Fact]
    public void The_long_case_really_holds_a_linspace_tie_that_rounds_to_even()
    {
        // Guards the table above: if the lengths change, the half-to-even rule must still be exercised somewhere.
        Assert.Equal(new long[] { 0, 50, 100, 150, 200, 251, 301, 351, 401 }, Promised("linspace", 402, 9));
    }

    [Theory]
    [InlineData("skip", "skipped")]
    [InlineData("error", "failed")]
    public void A_short_video_is_listed_with_exit_3_under_skip_or_error_and_the_long_one_is_still_written(string policy, string status)
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        var shortVideo = TestVideo.Create(input, "a-short", 3, TestCodec.H264Mp4, 48, 32);
        TestVideo.Create(input, "b-long", 20, TestCodec.Mpeg4Avi, 48, 32);

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--frames", "5", "--short-video", policy);

        Assert.Equal(3, run.ExitCode);
        var reason = $"the video has 3 frames, fewer than the 5 asked for (--short-video {policy})";
        Assert.Contains($"video2tfrecord: {status} {shortVideo}: {reason}\n", run.Error, StringComparison.Ordinal);
        Assert.Contains($"not written (1):\n  {status} {shortVideo}: {reason}\n", run.Output, StringComparison.Ordinal);
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        Assert.Equal("b-long", record.Id);
        Assert.Equal(new long[] { 2, 6, 10, 14, 18 }, record.FrameIndices);
        Assert.Equal(new[] { 2, 6, 10, 14, 18 }, RecordFiles.StoredPatternIndices(record));
        var lines = File.ReadAllLines(temp.Combine("out", "videos.jsonl")).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(["a-short", "b-long"], lines.Select(line => line.GetProperty("id").GetString()));
        Assert.Equal([status, "ok"], lines.Select(line => line.GetProperty("status").GetString()));
        Assert.Equal(reason, lines[0].GetProperty("reason").GetString());
    }

    // docs/architecture.md "Contract" in integer arithmetic, written out here instead of calling the product's
    // FrameSampler, so a wrong formula there cannot agree with itself.
    private static long[] Promised(string mode, int total, int asked)
    {
        var indices = new long[asked];
        for (long i = 0; i < asked; i++)
        {
            indices[i] = total < asked
                ? Math.Min(i, total - 1)
                : mode switch
                {
                    "centered" => (2 * i + 1) * total / (2L * asked),
                    "linspace" => asked == 1 ? 0 : RoundHalfToEven(i * (total - 1), asked - 1),
                    "seed" => i * (total / asked),
                    _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "not a sampling mode"),
                };
        }

        return indices;
    }

    private static long RoundHalfToEven(long numerator, long denominator)
    {
        var floor = numerator / denominator;
        var twiceRemainder = 2 * (numerator - floor * denominator);
        return twiceRemainder < denominator ? floor
            : twiceRemainder > denominator ? floor + 1
            : floor + (floor % 2);
    }
}
