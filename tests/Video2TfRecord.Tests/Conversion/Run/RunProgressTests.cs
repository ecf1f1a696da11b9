using Video2TfRecord.Conversion;
using Video2TfRecord.Conversion.Inputs;
using Video2TfRecord.Conversion.Output;
using Video2TfRecord.Conversion.Run;
using Video2TfRecord.Conversion.RunRecords;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Conversion.Run;

/// <summary>
/// Progress inside long videos (issue 14, point 14): the fraction done counts the videos in progress by the source
/// frame their decoding has reached, so one long video moves the bar and the ETA, and it never goes back.
/// </summary>
public class RunProgressTests
{
    [Fact]
    public void Videos_in_progress_count_by_the_frame_their_decoding_has_reached()
    {
        var activity = new RunActivity(workers: 2, alreadyDone: 0);
        activity.Begin(0);
        activity.Begin(1);

        activity.Reached(0, 149, 600);
        activity.Reached(1, 59, 60);
        var midway = activity.Snapshot();
        activity.End(1);
        activity.Reached(0, 99, 600); // an earlier frame (a re-plan) does not move it back
        var later = activity.Snapshot();

        Assert.Equal(0.25 + 1.0, midway.Videos, 6);
        Assert.Equal(150 + 60, midway.SourceFrames);
        Assert.Equal(1 + 0.25, later.Videos, 6);
        Assert.Equal(210, later.SourceFrames);
    }

    [Fact]
    public void The_reported_fraction_moves_with_the_workers_between_videos_and_never_goes_back()
    {
        var reports = new List<ConversionProgress>();
        var activity = (Videos: 0.5, SourceFrames: 300L);
        var tally = new RunTally(4, new Recorder(reports.Add)) { Activity = () => activity };

        tally.Tick();
        activity = (1.75, 900);
        tally.Tick();
        activity = (1.5, 950); // a worker finished and its next video starts at 0 before the writer counts the first
        tally.Tick();
        tally.AddFile(new ManifestFile("x", 0, 0, 0, ""));

        Assert.Equal([0.125, 0.4375, 0.4375], reports.Select(r => r.Fraction));
        Assert.Equal([300L, 900, 950], reports.Select(r => r.SourceFrames));
        Assert.All(reports, r => Assert.Equal(0, r.VideosDone));
    }

    [Fact]
    public async Task A_run_reports_a_rising_fraction_that_ends_at_one()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        for (var i = 0; i < 3; i++)
        {
            TestVideo.Create(input, $"v{i}", 30, TestCodec.H264Mp4, 48, 32);
        }

        var reports = new List<ConversionProgress>();
        var options = new ConversionOptions
        {
            Inputs = new InputOptions { Paths = [input] },
            Output = new OutputOptions { Directory = temp.Combine("out") },
            Jobs = 1,
        };

        var result = await VideoConverter.ConvertAsync(options, new Recorder(reports.Add));

        Assert.True(result.Complete);
        var fractions = reports.Select(r => r.Fraction).ToList();
        Assert.Equal(fractions.Order(), fractions);
        Assert.Equal(1.0, fractions[^1]);
        Assert.Equal(90, reports[^1].SourceFrames);
    }

    private sealed class Recorder(Action<ConversionProgress> report) : IProgress<ConversionProgress>
    {
        public void Report(ConversionProgress value) => report(value);
    }
}
