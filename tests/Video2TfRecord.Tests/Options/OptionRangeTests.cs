using Video2TfRecord.Conversion;
using Video2TfRecord.Conversion.Output;
using Video2TfRecord.Options;
using Video2TfRecord.Sampling;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Options;

/// <summary>
/// Every number an option takes has a range, checked where the word comes in, with the option's name, the range and the
/// word as given; numbers are read by one grammar that takes exponents (issue 23, bug 2 and the number words).
/// </summary>
public class OptionRangeTests
{
    private static readonly OptionContext NoProcess = new(_ => null, TextReader.Null, ProcessorCount: 3);

    [Theory]
    [InlineData(new[] { "--clip-length", "99999999999999999999" }, "--clip-length: expected a number of seconds from 0.001 to 1000000, got '99999999999999999999'")]
    [InlineData(new[] { "--clip-length", "1", "--clip-stride", "99999999999999999999" }, "--clip-stride: expected a number of seconds from 0.001 to 1000000, got '99999999999999999999'")]
    [InlineData(new[] { "--fps", "99999999999999999999" }, "--fps: expected a number of frames per second from 0.001 to 1000000, got '99999999999999999999'")]
    [InlineData(new[] { "--fps", "1000000000", "--size", "32x32" }, "--fps: expected a number of frames per second from 0.001 to 1000000, got '1000000000'")]
    [InlineData(new[] { "--fps", "0" }, "--fps: expected a number of frames per second from 0.001 to 1000000, got '0'")]
    [InlineData(new[] { "--frames", "1e7" }, "--frames: expected a whole number from 1 to 1000000 or 'all', got '1e7'")]
    [InlineData(new[] { "--jobs", "0" }, "--jobs: expected a whole number from 1 to 2147483647, got '0'")]
    [InlineData(new[] { "--jobs", "99999999999999999999" }, "--jobs: expected a whole number from 1 to 2147483647, got '99999999999999999999'")]
    [InlineData(new[] { "--videos-per-file", "2.5" }, "--videos-per-file: expected a whole number from 1 to 2147483647, got '2.5'")]
    [InlineData(new[] { "--shuffle", "-1" }, "--shuffle: expected a whole number from 0 to 18446744073709551615, got '-1'")]
    [InlineData(new[] { "--max-record-bytes", "3e9" }, "--max-record-bytes: expected a whole number of bytes from 1 to 2147483647, got '3e9'")]
    [InlineData(new[] { "--cache-size", "99999999999999" }, "--cache-size: expected a whole number of MiB from 0 to 1073741824, got '99999999999999'")]
    [InlineData(new[] { "--flow", "dis", "--flow-bound", "1e300" }, "--flow-bound: expected a number of pixels per frame from 0.001 to 10000, got '1e300'")]
    [InlineData(new[] { "--jpeg-quality", "101" }, "--jpeg-quality: expected a whole number from 1 to 100, got '101'")]
    public void A_number_out_of_its_range_exits_1_naming_the_option_the_range_and_the_word(string[] options, string message)
    {
        using var temp = new TempDirectory();

        var run = CliRunner.Run(["convert", Repository.Combine("examples"), "-o", temp.Combine("out"), "-q", .. options]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("video2tfrecord: " + message, run.Error.Split('\n')[0]);
        Assert.DoesNotContain("unexpected error", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("out")));
    }

    [Fact]
    public void Numbers_with_exponents_are_read_like_their_digits()
    {
        var words = new OptionWords().Add("output", "out").Add("fps", "2.5e1").Add("frames", "4e0").Add("jobs", "1E2").Add("clip-length", "15e-1");

        var options = ConvertOptionTable.Build(["v.mp4"], words, NoProcess);

        Assert.Equal((25m, FrameCount.Of(4), 100, 1.5m), (options.Sampling.Fps, options.Sampling.Frames, options.Jobs, options.Clips.Length));
    }

    [Fact]
    public void Every_option_that_takes_a_number_has_a_range_and_refuses_the_number_past_it()
    {
        var numeric = ConvertOptionTable.All.Where(row => row is OptionDefinition<int> or OptionDefinition<int?> or OptionDefinition<long>
            or OptionDefinition<ulong?> or OptionDefinition<double> or OptionDefinition<decimal?>).ToList();

        Assert.True(numeric.Count >= 15, $"only {numeric.Count} numeric rows found");
        foreach (var row in numeric)
        {
            var range = row.Range ?? throw new Xunit.Sdk.XunitException($"--{row.Name} takes a number but has no range");
            var past = (range.Maximum + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var e = Assert.Throws<OptionException>(() => row.Check(past));
            Assert.Equal($"--{row.Name}: expected {range.Description}, got '{past}'", e.Message);
            Assert.Contains($"[{range.Minimum}..{range.Maximum}]", row.Help, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_library_refuses_a_rate_set_in_code_with_the_words_of_the_command_line()
    {
        var options = new ConversionOptions
        {
            Inputs = new() { Paths = ["v.mp4"] },
            Output = new OutputOptions { Directory = "out" },
            Sampling = SamplingOptions.Create(fps: 1e20m),
        };

        var e = Assert.Throws<OptionException>(options.Validate);

        Assert.Equal("--fps: expected a number of frames per second from 0.001 to 1000000, got 100000000000000000000", e.Message);
    }
}
