using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Conversion.Annotations;

/// <summary>A clips CSV or clip options that cannot be right: one line naming the file, the line and the cause, exit 1, nothing written.</summary>
public class ClipInputTests
{
    private static CliRunner.Outcome Convert(TempDirectory temp, string? csv, params string[] more)
    {
        var input = temp.CreateFolder("in");
        TestVideo.Create(input, "a", 25, TestCodec.H264Mp4, 32, 24);
        TestVideo.Create(input, "b", 25, TestCodec.H264Mp4, 32, 24);
        string[] clips = [];
        if (csv is not null)
        {
            File.WriteAllText(temp.Combine("clips.csv"), csv);
            clips = ["--clips", temp.Combine("clips.csv")];
        }

        return CliRunner.Run(["convert", input, "-o", temp.Combine("out"), "--frames", "2", .. clips, .. more]);
    }

    [Theory]
    [InlineData("name,start,end\na,0,1\n", "no video column in the header (columns: name, start, end); expected one of path, video, video_path")]
    [InlineData("video,from,to\na,0,1\n", "no start column in the header (columns: video, from, to); expected one of start, time_start, start_time, start_sec")]
    [InlineData("video,start,end\na,2,1\n", "clips.csv line 2: the clip's start 2 s is not before its end 1 s")]
    [InlineData("video,start,end\na,1,1\n", "clips.csv line 2: the clip's start 1 s is not before its end 1 s")]
    [InlineData("video,start,end\na,-1,1\n", "clips.csv line 2: '-1' in column 'start': expected a number of seconds from 0 to 1000000")]
    [InlineData("video,start,end\na,0,1\nb,zero,1\n", "clips.csv line 3: 'zero' in column 'start' is not a time in seconds")]
    [InlineData("video,start,end\na,,1\n", "clips.csv line 2: empty cell in column 'start'")]
    [InlineData("video,start,end,label\na,0,1,run\na,0,1,sit\n", "clips.csv: lines 2 and 3 give the clip [0 s, 1 s) of 'a' different labels, captions or splits")]
    [InlineData("video,start,end\na,0,1.0001\na,0,1.0002\n", "the clips on lines 2 and 3 would both be a_000000_001000")]
    [InlineData("", "clips file")]
    public void A_clips_csv_that_cannot_be_right_stops_the_run_before_it_starts(string csv, string message)
    {
        using var temp = new TempDirectory();

        var run = Convert(temp, csv);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("out")));
    }

    [Theory]
    [InlineData(new[] { "--clip-length", "0" }, "--clip-length: expected a number of seconds from 0.001 to 1000000, got '0'")]
    [InlineData(new[] { "--clip-length", "2", "--clip-stride", "0" }, "--clip-stride: expected a number of seconds from 0.001 to 1000000, got '0'")]
    [InlineData(new[] { "--clip-stride", "2" }, "--clip-stride needs --clip-length")]
    [InlineData(new[] { "--clips", "x.csv", "--clip-length", "2" }, "--clips and --clip-length contradict each other")]
    [InlineData(new[] { "--split-column", "fold" }, "--split-column names a column of the --clips or --labels CSV")]
    [InlineData(new[] { "--clips", "/nonexistent/clips.csv" }, "clips file not found: /nonexistent/clips.csv")]
    public void Clip_options_that_cannot_work_are_refused(string[] options, string message)
    {
        using var temp = new TempDirectory();

        var run = Convert(temp, null, options);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Identical_rows_are_kept_once_and_labels_are_given_in_one_place()
    {
        using var temp = new TempDirectory();

        var run = Convert(temp, "video,start,end,label\na,0,0.5,run\na.mp4,0,0.5,run\na,0,0.5,run\n");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Single(RecordFiles.ReadAll(Directory.GetFiles(temp.Combine("out"), "*.tfrecord").Single()));

        File.WriteAllText(temp.Combine("labels.csv"), "path,label\na.mp4,run\n");
        var twice = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("twice"), "--clips", temp.Combine("clips.csv"), "--labels", temp.Combine("labels.csv"));
        Assert.Equal(1, twice.ExitCode);
        Assert.Contains("has a label column, so --labels and --labels-from-folder cannot label its clips too", twice.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Clips_without_a_label_column_take_their_videos_labels()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("labels.csv"), "path,label\na.mp4,run\nb.mp4,sit\n");

        var run = Convert(temp, "video,start,end\nb,0,0.5\na,0.5,1\n", "--labels", temp.Combine("labels.csv"));

        Assert.True(run.ExitCode == 0, run.Error);
        var records = RecordFiles.ReadAll(Directory.GetFiles(temp.Combine("out"), "*.tfrecord").Single());
        Assert.Equal([("a_000500_001000", "run"), ("b_000000_000500", "sit")], records.Select(r => (r.Id!, r.LabelText!)));
    }
}
