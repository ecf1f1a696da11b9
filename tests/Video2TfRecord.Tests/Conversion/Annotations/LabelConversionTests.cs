using System.Text.Json;
using Video2TfRecord.Records;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Conversion.Annotations;

/// <summary>Labels from a CSV or from folders, end to end: which record carries which label.</summary>
public class LabelConversionTests
{
    private static string MakeTree(TempDirectory temp)
    {
        var input = temp.CreateFolder("in");
        TestVideo.Create(Path.Combine(input, "walk"), "a", 3, TestCodec.MjpegAvi, 32, 24);
        TestVideo.Create(Path.Combine(input, "walk"), "b", 3, TestCodec.MjpegAvi, 32, 24);
        TestVideo.Create(Path.Combine(input, "wave"), "c", 3, TestCodec.MjpegAvi, 32, 24);
        TestVideo.Create(Path.Combine(input, "wave"), "d", 3, TestCodec.MjpegAvi, 32, 24);
        return input;
    }

    private static Dictionary<string, (long? Index, string? Text)> LabelsById(string folder) =>
        Directory.GetFiles(folder, "*.tfrecord").Order(StringComparer.Ordinal)
            .SelectMany(RecordFiles.ReadAll)
            .ToDictionary(r => r.Id!, r => (r.LabelIndex, r.LabelText));

    [Theory]
    [InlineData("example")]
    [InlineData("sequence")]
    public void Csv_labels_are_stored_in_each_record(string layout)
    {
        using var temp = new TempDirectory();
        var input = MakeTree(temp);
        var csv = temp.Combine("labels.csv");
        File.WriteAllText(csv, "video,label,notes\nwalk/a.avi,walking,x\nb.avi,walking,\nc,waving,\nwave/d.avi,waving,\nmissing.mp4,jumping,\n");

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--frames", "1", "--labels", csv, "--layout", layout);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(new Dictionary<string, (long?, string?)>
        {
            ["walk/a"] = (1, "walking"),
            ["walk/b"] = (1, "walking"),
            ["wave/c"] = (2, "waving"),
            ["wave/d"] = (2, "waving"),
        }, LabelsById(temp.Combine("out")));
        Assert.Equal("""[{"index":0,"text":"jumping"},{"index":1,"text":"walking"},{"index":2,"text":"waving"}]""",
            File.ReadAllText(temp.Combine("out", "labels.json")).Trim());
        Assert.Contains("1 rows of", run.Error, StringComparison.Ordinal);
        Assert.Contains("missing.mp4", run.Error, StringComparison.Ordinal);
        if (layout == "sequence")
        {
            var record = RecordFiles.ReadAll(Directory.GetFiles(temp.Combine("out"), "*.tfrecord").Order(StringComparer.Ordinal).First())[0];
            Assert.Equal("walking", record.Text(SequenceLayout.LabelText));
            Assert.Equal("walking", record.Text(SequenceLayout.LabelString));
        }
    }

    [Fact]
    public void Unlabeled_videos_are_skipped_listed_and_left_out_of_the_shards()
    {
        using var temp = new TempDirectory();
        var input = MakeTree(temp);
        var csv = temp.Combine("labels.csv");
        File.WriteAllText(csv, "path,label\nwalk/b.avi,1\nwave/d.avi,0\n");

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--frames", "1", "--labels", csv, "--videos-per-file", "1");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"skipped {Path.Combine(input, "walk", "a.avi")}: no label", run.Error, StringComparison.Ordinal);
        // Two labeled videos, one per file: the unlabeled ones take no shard.
        Assert.Equal(["videos-00000-of-00002.tfrecord", "videos-00001-of-00002.tfrecord"],
            Directory.GetFiles(temp.Combine("out"), "*.tfrecord").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(new Dictionary<string, (long?, string?)> { ["walk/b"] = (1, "1"), ["wave/d"] = (0, "0") }, LabelsById(temp.Combine("out")));
        var lines = File.ReadAllLines(temp.Combine("out", "videos.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["walk/a.avi", "walk/b.avi", "wave/c.avi", "wave/d.avi"], lines.Select(l => l.GetProperty("path").GetString()));
        Assert.Equal(["skipped", "ok", "skipped", "ok"], lines.Select(l => l.GetProperty("status").GetString()));
        Assert.Equal([1, 1], lines.Where(l => l.GetProperty("status").GetString() == "ok").Select(l => l.GetProperty("label_index").GetInt32() >= 0 ? 1 : 0));
    }

    [Fact]
    public void Missing_label_error_refuses_to_start_naming_the_videos()
    {
        using var temp = new TempDirectory();
        var input = MakeTree(temp);
        var csv = temp.Combine("labels.csv");
        File.WriteAllText(csv, "file,label\na.avi,x\n");

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--labels", csv, "--missing-label", "error");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("3 videos have no label", run.Error, StringComparison.Ordinal);
        Assert.Contains("walk/b.avi", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("out")));
    }

    [Fact]
    public void Missing_label_keep_writes_unlabeled_videos_without_label_keys()
    {
        using var temp = new TempDirectory();
        var input = MakeTree(temp);
        var csv = temp.Combine("labels.csv");
        File.WriteAllText(csv, "file,label\na.avi,x\n");

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--frames", "1", "--labels", csv, "--missing-label", "keep");

        Assert.True(run.ExitCode == 0, run.Error);
        var labels = LabelsById(temp.Combine("out"));
        Assert.Equal((0L, "x"), labels["walk/a"]);
        Assert.Equal((null, null), labels["wave/c"]);
    }

    [Fact]
    public void Labels_from_folder_use_the_parent_folder_name()
    {
        using var temp = new TempDirectory();
        var input = MakeTree(temp);

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--frames", "1", "--labels-from-folder");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal((1L, "wave"), LabelsById(temp.Combine("out"))["wave/c"]);
        Assert.Equal((0L, "walk"), LabelsById(temp.Combine("out"))["walk/a"]);
    }

    [Fact]
    public void A_csv_without_a_video_column_exits_1_naming_the_file()
    {
        using var temp = new TempDirectory();
        var input = MakeTree(temp);
        var csv = temp.Combine("labels.csv");
        File.WriteAllText(csv, "clip,label\na.avi,x\n");

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--labels", csv);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(csv, run.Error, StringComparison.Ordinal);
        Assert.Contains("--label-video-column", run.Error, StringComparison.Ordinal);
    }
}
