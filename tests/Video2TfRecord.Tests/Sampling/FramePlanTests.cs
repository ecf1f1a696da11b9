using Video2TfRecord.Flow;
using Video2TfRecord.Sampling;

namespace Video2TfRecord.Tests.Sampling;

public class FramePlanTests
{
    // One row per case: the video (T frames at 25 fps unless times are given), what is asked, and the whole plan.
    public sealed record Case(
        string Name,
        int TotalFrames,
        SamplingOptions Sampling,
        FlowPairs? Pairs,
        int[] Indices,
        int[] Slots,
        int[] Decode,
        string Flow,
        long[]? TimestampsUs = null)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Case> Cases => new()
    {
        new("centered 90 of 4, no flow", 90, Frames(4), null, [11, 33, 56, 78], [11, 33, 56, 78], [11, 33, 56, 78], "-"),
        new("linspace N = 1 takes frame 0", 7, Frames(1, SamplingMode.Linspace), null, [0], [0], [0], "-"),
        new("seed mode 10 of 3", 10, Frames(3, SamplingMode.Seed), FlowPairs.Stored, [0, 3, 6], [0, 3, 6], [0, 3, 6], "0 0-3 3-6"),
        new("next pairs decode each successor", 100, Frames(4), FlowPairs.Next, [12, 37, 62, 87], [12, 37, 62, 87],
            [12, 13, 37, 38, 62, 63, 87, 88], "12-13 37-38 62-63 87-88"),
        new("next pairs share adjacent stored frames", 4, SamplingOptions.Create(FrameCount.All), FlowPairs.Next, [0, 1, 2, 3], [0, 1, 2, 3],
            [0, 1, 2, 3], "0-1 1-2 2-3 0"),
        new("short video padded, next pairs: the last frame has none", 5, Frames(8), FlowPairs.Next, [0, 1, 2, 3, 4, 4, 4, 4], [0, 1, 2, 3, 4],
            [0, 1, 2, 3, 4], "0-1 1-2 2-3 3-4 0 0 0 0"),
        new("short video padded, stored pairs: repeats have not moved", 5, Frames(8), FlowPairs.Stored, [0, 1, 2, 3, 4, 4, 4, 4], [0, 1, 2, 3, 4],
            [0, 1, 2, 3, 4], "0 0-1 1-2 2-3 3-4 0 0 0"),
        new("fps above the source rate repeats frames; next pairs are shared", 3, SamplingOptions.Create(fps: 20m), FlowPairs.Next,
            [0, 0, 1, 1, 2], [0, 1, 2], [0, 1, 2], "0-1 0-1 1-2 1-2 0", [0, 100_000, 200_000]),
        new("fps with N keeps the centered window of targets", 10, SamplingOptions.Create(FrameCount.Of(2), fps: 5m), null,
            [2, 4], [2, 4], [2, 4], "-", [0, 100_000, 200_000, 300_000, 400_000, 500_000, 600_000, 700_000, 800_000, 900_000]),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Plan_says_which_frames_to_decode_and_where_each_goes(Case c)
    {
        var plan = FramePlan.Create(c.TotalFrames, c.TimestampsUs ?? Times(c.TotalFrames), c.Sampling, c.Pairs);

        Assert.Null(plan.Shortfall);
        Assert.Equal(c.Indices, plan.Indices);
        Assert.Equal(c.Slots, plan.Slots);
        Assert.Equal(c.Decode, plan.Decode.ToArray());
        Assert.Equal(c.Flow, c.Pairs is null ? "-" : string.Join(" ", Enumerable.Range(0, plan.Indices.Count)
            .Select(i => plan.FlowOf(i) is { } pair ? $"{pair.From}-{pair.To}" : "0")));
        for (var i = 0; i < plan.Indices.Count; i++)
        {
            Assert.Equal(plan.Indices[i], plan.Slots[plan.SlotOf(i)]);
            Assert.Equal(i > 0 && plan.Indices[i] == plan.Indices[i - 1], plan.IsRepeat(i));
        }
    }

    [Fact]
    public void Slots_know_whether_they_are_repeated_and_successors_are_decoded_beside_them()
    {
        var plan = FramePlan.Create(5, Times(5), Frames(7), FlowPairs.Next);

        Assert.Equal([false, false, false, false, true], Enumerable.Range(0, plan.Slots.Count).Select(plan.IsRepeated));

        var sparse = FramePlan.Create(100, Times(100), Frames(2), FlowPairs.Next);
        Assert.Equal([25, 26, 75, 76], sparse.Decode.ToArray());
        Assert.Equal([25, 75], sparse.Slots);
    }

    [Theory]
    [InlineData(ShortVideoPolicy.Skip, "the video has 3 frames, fewer than the 5 asked for (--short-video skip)")]
    [InlineData(ShortVideoPolicy.Error, "the video has 3 frames, fewer than the 5 asked for (--short-video error)")]
    public void Short_video_under_skip_or_error_plans_nothing_and_says_why(ShortVideoPolicy policy, string reason)
    {
        var plan = FramePlan.Create(3, Times(3), SamplingOptions.Create(FrameCount.Of(5), shortVideo: policy), FlowPairs.Next);

        Assert.Equal(reason, plan.Shortfall);
        Assert.Empty(plan.Indices);
        Assert.Equal(0, plan.Decode.Length);
    }

    [Fact]
    public void Short_video_by_fps_targets_counts_targets_not_frames()
    {
        // 10 frames over 0.36 s at 10 fps: 4 targets, fewer than the 8 asked for.
        var plan = FramePlan.Create(10, Times(10), SamplingOptions.Create(FrameCount.Of(8), fps: 10m, shortVideo: ShortVideoPolicy.Skip));

        Assert.Equal("the video has 4 frames at 10 fps, fewer than the 8 asked for (--short-video skip)", plan.Shortfall);
    }

    [Theory]
    [InlineData(10, false, false, true)] // same count, times not used
    [InlineData(9, false, false, false)] // a truncated file decodes fewer frames
    [InlineData(10, true, false, true)]
    [InlineData(10, true, true, false)] // fps sampling chose by times that the decode corrects
    [InlineData(10, false, true, true)] // other modes do not depend on times
    public void Plan_agrees_with_a_decode_only_when_what_it_was_made_from_holds(int decoded, bool fps, bool otherTimes, bool agrees)
    {
        var sampling = fps ? SamplingOptions.Create(fps: 25m) : Frames(4);
        var plan = FramePlan.Create(10, Times(10), sampling);
        var times = otherTimes ? Times(decoded).Select((t, i) => i == decoded - 1 ? t + 7 : t).ToArray() : Times(decoded);

        Assert.Equal(agrees, plan.Agrees(decoded, times, fps));
    }

    [Fact]
    public void Flow_of_a_plan_without_flow_is_refused()
    {
        var plan = FramePlan.Create(10, Times(10), Frames(2));

        Assert.Throws<InvalidOperationException>(() => plan.FlowOf(0));
    }

    private static SamplingOptions Frames(int n, SamplingMode mode = SamplingMode.Centered) => SamplingOptions.Create(FrameCount.Of(n), mode);

    private static long[] Times(int count) => Enumerable.Range(0, count).Select(i => i * 40_000L).ToArray();
}
