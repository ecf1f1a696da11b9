using Video2TfRecord.Video;

namespace Video2TfRecord.Tests.Video;

/// <summary>The frame table alone: packets in, frames identified by timestamp, keyframes, discards, what was lost.</summary>
public class FrameTableTests
{
    // Decode order of an IBBP stream with a 3-packet edit-list preroll (pts 0..2 discarded), time base 1/1000.
    private static readonly (long? Pts, bool Key, bool Discard)[] Packets =
    [
        (0, true, true), (2, false, true), (1, false, true),
        (3, true, false), (6, false, false), (4, false, false), (5, false, false), (9, true, false), (7, false, false), (8, false, false),
    ];

    [Fact]
    public void Shown_frames_are_numbered_in_presentation_order_and_discarded_ones_are_known()
    {
        var table = FrameTable.Create(Packets, 1e-3)!;

        Assert.Equal(7, table.Count);
        Assert.Equal([0L, 1000, 2000, 3000, 4000, 5000, 6000], table.TimestampsUs);
        Assert.Equal(0, table.IndexOf(3));
        Assert.Equal(6, table.IndexOf(9));
        Assert.Equal(-1, table.IndexOf(1));
        Assert.True(table.IsDiscarded(1));
        Assert.False(table.IsDiscarded(4));
    }

    [Fact]
    public void The_keyframe_before_a_frame_is_the_last_one_shown_at_or_before_it()
    {
        var table = FrameTable.Create(Packets, 1e-3)!;

        Assert.Equal([0, 0, 0, 0, 0, 0, 6], Enumerable.Range(0, 7).Select(table.KeyframeBefore));
    }

    [Theory]
    [InlineData(new long[] { 1, 1, 2 })]
    public void Timestamps_that_cannot_identify_frames_give_no_table(long[] pts)
    {
        Assert.Null(FrameTable.Create(pts.Select(p => ((long?)p, false, false)).ToList(), 1e-3));
        Assert.Null(FrameTable.Create([(0, true, false), (null, false, false)], 1e-3));
    }

    [Fact]
    public void Keeping_the_frames_that_decoded_renumbers_them_and_words_the_runs_lost()
    {
        var table = FrameTable.Create(Packets, 1e-3)!;
        bool[] decoded = [true, false, false, true, false, true, true];

        var (kept, lost) = table.Keep(decoded);

        Assert.Equal(4, kept.Count);
        Assert.Equal([0L, 3000, 5000, 6000], kept.TimestampsUs);
        Assert.Equal(2, kept.IndexOf(8));
        Assert.Equal("frames 1–2, 4 did not decode (3 of 7)", lost);
        Assert.Equal(3, kept.KeyframeBefore(3));
        Assert.Null(table.Keep([.. Enumerable.Repeat(true, 7)]).Lost);
        Assert.Equal("frame 4 did not decode (1 of 7)", table.Keep([true, true, true, true, false, true, true]).Lost);
    }
}
