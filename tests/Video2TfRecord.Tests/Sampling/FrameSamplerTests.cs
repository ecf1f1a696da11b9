using Video2TfRecord.Sampling;

namespace Video2TfRecord.Tests.Sampling;

public class FrameSamplerTests
{
    [Theory]
    [InlineData(90, 4, new[] { 11, 33, 56, 78 })]
    [InlineData(30, 4, new[] { 3, 11, 18, 26 })]
    [InlineData(10, 10, new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 })]
    [InlineData(100, 1, new[] { 50 })]
    [InlineData(7, 3, new[] { 1, 3, 5 })]
    public void Centered_sampling_takes_the_middle_of_equal_segments(int total, int n, int[] expected)
    {
        Assert.Equal(expected, FrameSampler.Select(total, FrameCount.Of(n), SamplingMode.Centered));
    }

    [Theory]
    [InlineData(90, 4, new[] { 0, 30, 59, 89 })]
    [InlineData(10, 3, new[] { 0, 4, 9 })] // 4.5 rounds half to even: 4
    [InlineData(8, 3, new[] { 0, 4, 7 })] // 3.5 rounds half to even: 4
    [InlineData(5, 1, new[] { 0 })]
    public void Linspace_sampling_includes_first_and_last_frame(int total, int n, int[] expected)
    {
        Assert.Equal(expected, FrameSampler.Select(total, FrameCount.Of(n), SamplingMode.Linspace));
    }

    [Theory]
    [InlineData(90, 4, new[] { 0, 22, 44, 66 })]
    [InlineData(10, 3, new[] { 0, 3, 6 })]
    public void Seed_sampling_reproduces_the_original_tool(int total, int n, int[] expected)
    {
        Assert.Equal(expected, FrameSampler.Select(total, FrameCount.Of(n), SamplingMode.Seed));
    }

    [Theory]
    [InlineData(SamplingMode.Centered)]
    [InlineData(SamplingMode.Linspace)]
    [InlineData(SamplingMode.Seed)]
    public void Short_videos_are_padded_with_their_last_frame(SamplingMode mode)
    {
        Assert.Equal(new[] { 0, 1, 2, 2, 2 }, FrameSampler.Select(3, FrameCount.Of(5), mode));
        Assert.Equal(new[] { 0, 0, 0 }, FrameSampler.Select(1, FrameCount.Of(3), mode));
    }

    [Fact]
    public void All_frames_takes_every_index()
    {
        Assert.Equal(Enumerable.Range(0, 17), FrameSampler.Select(17, FrameCount.All, SamplingMode.Centered));
    }

    [Fact]
    public void Large_counts_do_not_overflow()
    {
        var indices = FrameSampler.Select(int.MaxValue, FrameCount.Of(3), SamplingMode.Centered);

        Assert.Equal(new[] { 357913941, 1073741823, 1789569705 }, indices);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("ten")]
    [InlineData("")]
    public void Frame_count_rejects_nonsense_with_the_option_name(string text)
    {
        var error = Assert.Throws<OptionException>(() => FrameCount.Parse(text));

        Assert.StartsWith("--frames:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Frame_count_parses_numbers_and_all()
    {
        Assert.Equal(32, FrameCount.Parse("32").Count);
        Assert.True(FrameCount.Parse("ALL").IsAll);
    }
}
