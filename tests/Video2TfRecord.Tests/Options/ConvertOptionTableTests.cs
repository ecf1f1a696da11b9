using Video2TfRecord.Audio;
using Video2TfRecord.Conversion;
using Video2TfRecord.Conversion.Output;
using Video2TfRecord.Frames;
using Video2TfRecord.Options;
using Video2TfRecord.Sampling;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Options;

/// <summary>
/// The option table read without any command line, as the web service and the Python package read it: names, defaults,
/// implications and the command line's messages.
/// </summary>
public class ConvertOptionTableTests
{
    private static readonly OptionContext NoProcess = new(_ => null, TextReader.Null, ProcessorCount: 3);

    [Fact]
    public void Only_the_output_given_yields_the_documented_defaults()
    {
        var options = ConvertOptionTable.Build(["videos"], new OptionWords().Add("output", "out"), NoProcess);

        Assert.Equal(["videos"], options.Inputs.Paths);
        Assert.Equal("out", options.Output.Directory);
        Assert.Equal((10, "videos", 1L << 30), (options.Output.VideosPerFile, options.Output.Prefix, options.Output.MaxRecordBytes));
        Assert.Equal((FrameCount.Of(32), SamplingMode.Centered), (options.Sampling.Frames, options.Sampling.Mode));
        Assert.Equal(95, options.Images.JpegQuality);
        Assert.Equal(AudioMode.Off, options.Audio.Mode);
        Assert.Equal(3, options.Jobs);
    }

    [Fact]
    public void Fps_alone_selects_fps_sampling_of_every_target_and_short_side_selects_its_resize()
    {
        var words = new OptionWords().Add("output", "out").Add("fps", "2.5").Add("short-side", "64");

        var options = ConvertOptionTable.Build(["v.mp4"], words, NoProcess);

        Assert.Equal((FrameCount.All, SamplingMode.Fps, 2.5m), (options.Sampling.Frames, options.Sampling.Mode, options.Sampling.Fps));
        Assert.Equal(ResizeMode.ShortSide, options.Images.Resize.Mode);
    }

    [Theory]
    [InlineData("jobs", "abc", "--jobs: expected a whole number from 1 to 2147483647, got 'abc'")]
    [InlineData("shuffle", "-1", "--shuffle: expected a whole number from 0 to 18446744073709551615, got '-1'")]
    [InlineData("fps", "ten", "--fps: expected a number of frames per second from 0.001 to 1000000, got 'ten'")]
    [InlineData("sampling", "random", "--sampling: expected one of centered, linspace, seed, fps; got 'random'")]
    [InlineData("audio", "loud", "--audio: expected optional or required, or nothing; got 'loud' (write --audio optional, or put --audio after the inputs)")]
    [InlineData("overwrite", "maybe", "--overwrite: expected true or false, got 'maybe'")]
    [InlineData("size", "0x10", "--size")]
    [InlineData("flow-bound", "4", "--flow-bound shapes optical flow: give --flow farneback|tvl1|dis too")]
    public void A_refused_word_says_the_option_and_what_it_expects(string name, string word, string message)
    {
        var words = new OptionWords().Add("output", "out").Add(name, word);

        var e = Assert.Throws<OptionException>(() => ConvertOptionTable.Build(["v.mp4"], words, NoProcess));

        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_option_given_bare_is_refused_instead_of_taking_the_next_option()
    {
        var words = new OptionWords().Add("output", "out").Add("frames").Add("jobs", "2");

        var e = Assert.Throws<OptionException>(() => ConvertOptionTable.Build(["v.mp4"], words, NoProcess));

        Assert.Equal("Required argument missing for option: '--frames'.", e.Message);
    }

    [Fact]
    public void Unknown_names_and_a_missing_output_are_refused()
    {
        Assert.Equal("unknown option '--frame'",
            Assert.Throws<OptionException>(() => ConvertOptionTable.Build(["v.mp4"], new OptionWords().Add("output", "o").Add("frame", "8"), NoProcess)).Message);
        Assert.Equal("Option '--output' is required.",
            Assert.Throws<OptionException>(() => ConvertOptionTable.Build(["v.mp4"], new OptionWords(), NoProcess)).Message);
    }

    [Fact]
    public void Bare_flags_and_audio_take_their_bare_values_and_repeated_patterns_keep_their_order()
    {
        var words = new OptionWords().Add("output", "out").Add("index").Add("audio").Add("pattern", "*.avi").Add("pattern", "*.MP4").Add("overwrite", "false");

        var options = ConvertOptionTable.Build(["v"], words, NoProcess);

        Assert.True(options.Output.WriteIndex);
        Assert.False(options.Output.Overwrite);
        Assert.Equal(AudioMode.Optional, options.Audio.Mode);
        Assert.Equal(["*.avi", "*.MP4"], options.Inputs.Patterns);
    }

    [Fact]
    public void Input_list_dash_and_worker_auto_read_the_context_not_the_process()
    {
        var context = new OptionContext(name => name == "JOB_COMPLETION_INDEX" ? "2" : null, new StringReader("a.mp4\n# note\nb/c.mp4\n"), 1);
        var words = new OptionWords().Add("output", "out").Add("input-list", "-").Add("worker-index", "auto").Add("worker-count", "4");

        var options = ConvertOptionTable.Build([], words, context);

        Assert.Equal("standard input", options.Inputs.List!.Name);
        Assert.Equal(["a.mp4", "# note", "b/c.mp4"], options.Inputs.List.Lines);
        Assert.Equal((2, 4), (options.Output.Worker!.Index, options.Output.Worker.Count));
    }

    [Fact]
    public void Every_row_has_a_distinct_name_help_and_the_defaults_of_the_option_parts()
    {
        Assert.Equal(ConvertOptionTable.All.Count, ConvertOptionTable.All.Select(o => o.Name).Distinct().Count());
        Assert.All(ConvertOptionTable.All, o => Assert.False(string.IsNullOrWhiteSpace(o.Help)));
        Assert.Equal(OutputOptions.DefaultVideosPerFile, ConvertOptionTable.VideosPerFile.Default);
        Assert.Equal("centered", ConvertOptionTable.Sampling.DefaultText);
        Assert.Equal(["auto", "ffmpeg", "opencv"], ConvertOptionTable.Decoder.Choices);
        Assert.Equal([ConvertOptionTable.DryRun, ConvertOptionTable.Quiet], ConvertOptionTable.All.Where(o => o.FrontEnd));
    }

    [Fact]
    public async Task Options_built_from_words_convert_like_the_command_line()
    {
        using var temp = new TempDirectory();
        var words = new OptionWords().Add("output", temp.Combine("lib")).Add("frames", "4").Add("size", "32x24").Add("layout", "sequence").Add("quiet");
        var options = ConvertOptionTable.Build([Repository.Combine("examples")], words, NoProcess);
        options.Validate();

        await VideoConverter.ConvertAsync(options);
        var cli = CliRunner.Run("convert", Repository.Combine("examples"), "-o", temp.Combine("cli"), "--frames", "4", "--size", "32x24", "--layout", "sequence", "--quiet", "--jobs", "3");

        Assert.Equal(0, cli.ExitCode);
        var file = "videos-00000-of-00001.tfrecord";
        Assert.Equal(File.ReadAllBytes(temp.Combine("cli", file)), File.ReadAllBytes(temp.Combine("lib", file)));
    }
}
