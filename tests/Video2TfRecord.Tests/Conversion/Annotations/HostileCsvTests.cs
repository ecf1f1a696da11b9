using System.Text;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Conversion.Annotations;

/// <summary>
/// Labels and clips CSVs as a careless or hostile user writes them: bytes that are not UTF-8, a header without rows, a row
/// with more cells than the header, paths written with ./ or //, times below a microsecond (issue 23).
/// </summary>
public class HostileCsvTests
{
    private static string Videos(TempDirectory temp)
    {
        TestVideo.Create(temp.Combine("in", "videos"), "a", 4, TestCodec.MjpegAvi, 32, 24);
        TestVideo.Create(temp.Combine("in", "videos"), "b", 4, TestCodec.MjpegAvi, 32, 24);
        return temp.Combine("in");
    }

    // Converts the two videos with --OPTION csv (and more options), into temp/out.
    private static CliRunner.Outcome Convert(TempDirectory temp, string option, string csv, params string[] more) =>
        CliRunner.Run(["convert", Videos(temp), "-o", temp.Combine("out"), "--" + option, csv, "-q", .. more]);

    // Writes OPTION.csv with the text and converts with it.
    private static CliRunner.Outcome ConvertWith(TempDirectory temp, string option, string text, params string[] more)
    {
        File.WriteAllText(temp.Combine(option + ".csv"), text);
        return Convert(temp, option, temp.Combine(option + ".csv"), more);
    }

    [Theory]
    [InlineData("labels", "path,label\nvideos/a.avi,walk\nvideos/b.avi,cr", "labels file")]
    [InlineData("clips", "video,start,end,label\nvideos/a.avi,0,0.1,walk\nvideos/b.avi,0,0.1,cr", "clips file")]
    public void A_csv_in_latin_1_is_refused_naming_the_file_the_line_and_the_byte_offset(string option, string start, string kind)
    {
        using var temp = new TempDirectory();
        var csv = temp.Combine(option + ".csv");
        // 'crème' in Latin-1: è is the single byte E8, which UTF-8 never has alone.
        File.WriteAllBytes(csv, [.. Encoding.ASCII.GetBytes(start), 0xE8, .. "me\n"u8]);
        var offset = start.Length;

        var run = Convert(temp, option, csv, "--frames", "2");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"video2tfrecord: {csv} line 3, byte offset {offset}: not UTF-8 (byte 0xE8); save the {kind} as UTF-8 (a Latin-1 or Windows-1252 export is not)",
            run.Error.TrimEnd('\n'));
        Assert.False(Directory.Exists(temp.Combine("out")));
    }

    [Fact]
    public void A_clips_csv_with_only_a_header_is_an_error_not_an_empty_shard()
    {
        using var temp = new TempDirectory();

        var run = ConvertWith(temp, "clips", "video,start,end\n");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"video2tfrecord: {temp.Combine("clips.csv")} has a header but no clips: expected one row per clip (video, start, end)", run.Error.TrimEnd('\n'));
        Assert.False(Directory.Exists(temp.Combine("out")));
    }

    [Fact]
    public void A_labels_row_with_more_cells_than_the_header_is_refused_naming_the_file_and_line()
    {
        using var temp = new TempDirectory();

        var run = ConvertWith(temp, "labels", "path,label\nvideos/a.avi,walk\nvideos/b.avi,wave,hand\n");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"video2tfrecord: {temp.Combine("labels.csv")} line 3: 3 cells, more than the 2 columns of the header (path, label); put a value that holds a comma in double quotes",
            run.Error.TrimEnd('\n'));
    }

    [Fact]
    public void Rows_that_write_a_path_with_dot_or_double_slash_segments_match_the_video()
    {
        using var temp = new TempDirectory();

        var run = ConvertWith(temp, "labels", "path,label\n./videos/a.avi,walk\nvideos//b.avi,wave\n", "--frames", "2");

        Assert.True(run.ExitCode == 0, run.Error);
        var records = RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord"));
        Assert.Equal([("videos/a", "walk"), ("videos/b", "wave")], records.Select(r => (r.Id, r.LabelText)));
    }

    [Fact]
    public void A_clip_time_below_a_microsecond_is_shown_as_written_and_as_it_rounds()
    {
        using var temp = new TempDirectory();

        var run = ConvertWith(temp, "clips", "video,start,end\nvideos/a.avi,0,0.0000001\n");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"video2tfrecord: {temp.Combine("clips.csv")} line 2: the clip's start 0 s is not before its end 0.0000001 s (rounded to 0 µs) (times count whole microseconds, rounded half to even)",
            run.Error.TrimEnd('\n'));
    }

    [Fact]
    public void Clip_times_with_exponents_are_read_like_their_digits()
    {
        using var temp = new TempDirectory();

        var run = ConvertWith(temp, "clips", "video,start,end\nvideos/a.avi,0,8e-2\n", "--frames", "2");

        Assert.True(run.ExitCode == 0, run.Error);
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        Assert.Equal((0L, 80_000L), (record.Clip!.StartUs, record.Clip.EndUs));
    }

    [Fact]
    public void A_csv_from_a_pipe_is_read_once_and_fingerprinted_by_its_bytes()
    {
        using var temp = new TempDirectory();
        var input = Videos(temp);
        File.WriteAllText(temp.Combine("labels.csv"), "path,label\nvideos/a.avi,walk\nvideos/b.avi,wave\n");
        File.WriteAllText(temp.Combine("other.csv"), "path,label\nvideos/a.avi,run\nvideos/b.avi,wave\n");
        // The paths reach bash as arguments, never pasted into its script: any checkout path works.
        CliRunner.Outcome Shell(bool pipe, string csv, params string[] more) => CliProcess.RunProgram([
            "bash", "-c", $"\"$0\" \"$1\" convert \"$2\" -o \"$3\" --frames 2 -q --labels {(pipe ? "<(cat \"$4\")" : "\"$4\"")} \"${{@:5}}\"",
            .. CliProcess.CommandWords, input, temp.Combine("out"), temp.Combine(csv), .. more]);

        // Process substitution: the CSV is a pipe, which can be read once.
        var piped = Shell(pipe: true, "labels.csv");
        // The fingerprint is of the bytes, so the same labels from the file itself continue the run; other labels do not.
        var sameBytes = Shell(pipe: false, "labels.csv", "--resume");
        var otherBytes = Shell(pipe: true, "other.csv", "--resume");

        Assert.True(piped.ExitCode == 0, piped.Error);
        var labels = File.ReadAllLines(temp.Combine("out", "videos.jsonl")).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .ToDictionary(l => l.GetProperty("id").GetString()!, l => l.GetProperty("label_text").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["videos/a"] = "walk", ["videos/b"] = "wave" }, labels);
        Assert.True(sameBytes.ExitCode == 0, sameBytes.Error);
        Assert.Equal(1, otherBytes.ExitCode);
        Assert.Contains("--labels", otherBytes.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("labels", "/dev/zero", "a character device")]
    [InlineData("clips", "/dev/null", "a character device")]
    [InlineData("labels", "folder", "a folder")]
    public void A_csv_that_is_a_device_or_a_folder_is_refused_before_it_is_read(string option, string path, string kind)
    {
        using var temp = new TempDirectory();
        var csv = path.StartsWith('/') ? path : temp.CreateFolder(path);

        var run = Convert(temp, option, csv);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"video2tfrecord: {option} file {csv}: not a regular file ({kind})", run.Error.TrimEnd('\n'));
        Assert.False(Directory.Exists(temp.Combine("out")));
    }
}
