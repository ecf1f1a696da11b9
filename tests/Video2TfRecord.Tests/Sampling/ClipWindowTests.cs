using Video2TfRecord.Conversion.Annotations;
using Video2TfRecord.Sampling;

namespace Video2TfRecord.Tests.Sampling;

/// <summary>Clip windows as pure data: which frames a window holds, clipping, fixed windows, ids and plans inside a window.</summary>
public class ClipWindowTests
{
    // 10 frames at 40 ms: 0, 40 000, …, 360 000 µs; the video lasts 400 000 µs.
    private static readonly long[] Times = [.. Enumerable.Range(0, 10).Select(i => i * 40_000L)];

    [Theory]
    [InlineData(0, 400_000L, 0, 10, 400_000L, false)]
    [InlineData(40_000, 120_000L, 1, 2, 120_000L, false)]    // end exclusive: the frame at 120 ms is not in it
    [InlineData(39_999, 120_001L, 1, 3, 120_001L, false)]
    [InlineData(300_000, 900_000L, 8, 2, 400_000L, true)]     // past the end: clipped, with a note
    [InlineData(300_000, null, 8, 2, 400_000L, false)]        // open end: to the video's end
    public void A_window_holds_the_frames_whose_time_lies_in_it(long start, long? end, int first, int count, long clippedEnd, bool note)
    {
        var frames = new ClipWindow(start, end).Locate(Times, 400_000);

        Assert.Equal((first, count, start, clippedEnd), (frames.First, frames.Count, frames.StartUs, frames.EndUs));
        Assert.Equal(note, frames.Note is not null);
        Assert.Null(frames.Reason);
    }

    [Theory]
    [InlineData(400_000, 500_000L, "starts at or after the video's end at 0.4 s")]
    [InlineData(41_000, 79_000L, "no frame's presentation time lies in the clip [0.041 s, 0.079 s)")]
    public void A_window_without_frames_says_why(long start, long? end, string reason)
    {
        var frames = new ClipWindow(start, end).Locate(Times, 400_000);

        Assert.Equal(0, frames.Count);
        Assert.Contains(reason, frames.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10_000, 4_000, 4_000, "0-4000 4000-8000 8000-10000p")]
    [InlineData(10_000, 4_000, 3_000, "0-4000 3000-7000 6000-10000 9000-10000p")]
    [InlineData(8_000, 4_000, 4_000, "0-4000 4000-8000")]
    [InlineData(3_000, 4_000, 4_000, "0-3000p")]
    [InlineData(10_000, 2_000, 5_000, "0-2000 5000-7000")]                // gaps between windows; 10 s is where the next would start
    public void Fixed_windows_tile_the_video_and_the_remainder_is_one_partial_window(long duration, long length, long stride, string expected)
    {
        var windows = ClipWindow.Fixed(duration, length, stride).Select(w => $"{w.Window.StartUs}-{w.Window.EndUs}{(w.Partial ? "p" : "")}");

        Assert.Equal(expected, string.Join(" ", windows));
    }

    [Theory]
    [InlineData(1_500_000, 4_000_000L, "walk/a_001500_004000")]
    [InlineData(0, null, "walk/a_000000_end")]
    [InlineData(1_234_500, 1_235_500L, "walk/a_001234_001236")]  // ms rounded half to even
    [InlineData(3_723_000_000, 3_724_000_000L, "walk/a_3723000_3724000")]
    public void Clip_ids_count_milliseconds(long start, long? end, string id)
    {
        Assert.Equal(id, ClipSpec.Id("walk/a", new ClipWindow(start, end)));
    }

    [Fact]
    public void Sampling_inside_a_window_numbers_frames_as_the_video_does()
    {
        var times = Enumerable.Range(0, 100).Select(i => i * 40_000L).ToArray();
        var window = new ClipWindow(1_000_000, 2_000_000).Locate(times, 4_000_000);

        var centered = FramePlan.Create(100, times, new SamplingOptions { Frames = FrameCount.Of(5) }, window: window);
        var all = FramePlan.Create(100, times, new SamplingOptions { Frames = FrameCount.All }, window: window);

        Assert.Equal([27, 32, 37, 42, 47], centered.Indices);
        Assert.Equal(Enumerable.Range(25, 25), all.Indices);
        Assert.Equal(100, all.TotalFrames);
    }
}
