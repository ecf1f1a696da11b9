using System.Text.Json;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Conversion.Annotations;

/// <summary>Splits from a clips or labels CSV: each split its own file set, shard plan, manifest entries and totals.</summary>
public class SplitConversionTests
{
    private static string MakeVideos(TempDirectory temp)
    {
        var input = temp.CreateFolder("in");
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            TestVideo.Create(input, name, 50, TestCodec.H264Mp4, 32, 24);
        }

        return input;
    }

    private static List<string> Files(string folder, string pattern = "*.tfrecord*") =>
        Directory.GetFiles(folder, pattern).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void A_kinetics_clips_csv_writes_one_file_set_per_split_with_labels_numbered_over_all_rows()
    {
        using var temp = new TempDirectory();
        var input = MakeVideos(temp);
        var csv = temp.Combine("kinetics.csv");
        File.WriteAllText(csv, "label,youtube_id,time_start,time_end,split\nrun,a,0,1,train\nsit,b,0,1,train\nrun,c,0,1,val\njump,d,0,1,test\nswim,d,1,2,train\n");

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--clips", csv, "--frames", "2", "--videos-per-file", "2");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(["videos-test-00000-of-00001.tfrecord", "videos-train-00000-of-00002.tfrecord", "videos-train-00001-of-00002.tfrecord",
            "videos-val-00000-of-00001.tfrecord"], Files(temp.Combine("out")));
        var byFile = Files(temp.Combine("out")).ToDictionary(f => f, f => RecordFiles.ReadAll(temp.Combine("out", f)).Select(r => (r.Id, r.LabelIndex)).ToList());
        // Labels sorted over every row, whatever its split: jump 0, run 1, sit 2, swim 3.
        Assert.Equal([("a_000000_001000", (long?)1), ("b_000000_001000", 2)], byFile["videos-train-00000-of-00002.tfrecord"]);
        Assert.Equal([("d_001000_002000", (long?)3)], byFile["videos-train-00001-of-00002.tfrecord"]);
        Assert.Equal([("c_000000_001000", (long?)1)], byFile["videos-val-00000-of-00001.tfrecord"]);
        Assert.Equal([("d_000000_001000", (long?)0)], byFile["videos-test-00000-of-00001.tfrecord"]);

        using var manifest = JsonDocument.Parse(File.ReadAllText(temp.Combine("out", "manifest.json")));
        var files = manifest.RootElement.GetProperty("files").EnumerateArray().Select(f => (f.GetProperty("name").GetString(), f.GetProperty("split").GetString())).ToList();
        Assert.Equal([("videos-test-00000-of-00001.tfrecord", "test"), ("videos-train-00000-of-00002.tfrecord", "train"),
            ("videos-train-00001-of-00002.tfrecord", "train"), ("videos-val-00000-of-00001.tfrecord", "val")], files);
        var splits = manifest.RootElement.GetProperty("totals").GetProperty("splits");
        Assert.Equal(3, splits.GetProperty("train").GetProperty("written").GetInt32());
        Assert.Equal(1, splits.GetProperty("val").GetProperty("videos").GetInt32());
        Assert.Equal(new FileInfo(temp.Combine("out", "videos-val-00000-of-00001.tfrecord")).Length, splits.GetProperty("val").GetProperty("bytes").GetInt64());
        Assert.Equal(5, manifest.RootElement.GetProperty("totals").GetProperty("written").GetInt32());
        var lines = File.ReadAllLines(temp.Combine("out", "videos.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("split").GetString());
        Assert.Equal(["test", "train", "train", "train", "val"], lines);
    }

    [Fact]
    public void A_labels_csv_with_split_and_caption_columns_splits_whole_videos_and_captions_them()
    {
        using var temp = new TempDirectory();
        var input = MakeVideos(temp);
        var csv = temp.Combine("labels.csv");
        File.WriteAllText(csv, "path,label,caption,fold\na.mp4,run,a runner,one\nb.mp4,sit,,two\nc.mp4,run,another runner,one\nd.mp4,sit,someone sits,two\n");

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--labels", csv, "--split-column", "fold", "--frames", "1", "--layout", "sequence");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(["videos-one-00000-of-00001.tfrecord", "videos-two-00000-of-00001.tfrecord"], Files(temp.Combine("out")));
        var one = RecordFiles.ReadAll(temp.Combine("out", "videos-one-00000-of-00001.tfrecord"));
        Assert.Equal([("a", "a runner"), ("c", "another runner")], one.Select(r => (r.Id!, r.Caption!)));
        var two = RecordFiles.ReadAll(temp.Combine("out", "videos-two-00000-of-00001.tfrecord"));
        Assert.Equal([("b", (string?)null), ("d", "someone sits")], two.Select(r => (r.Id!, r.Caption)));
    }

    [Fact]
    public void The_tfds_layout_is_one_dataset_with_every_split_in_its_dataset_info()
    {
        using var temp = new TempDirectory();
        var input = MakeVideos(temp);
        var csv = temp.Combine("clips.csv");
        File.WriteAllText(csv, "video,start,end,label,split\na,0,1,run,train\nb,0,1,sit,train\nc,0,1,run,validation\nd,0,1,sit,train\n");

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--clips", csv, "--frames", "2", "--layout", "tfds", "--videos-per-file", "2");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(["videos-train.tfrecord-00000-of-00002", "videos-train.tfrecord-00001-of-00002", "videos-validation.tfrecord-00000-of-00001"],
            Files(temp.Combine("out"), "videos-*"));
        using var info = JsonDocument.Parse(File.ReadAllText(temp.Combine("out", "dataset_info.json")));
        var splits = info.RootElement.GetProperty("splits").EnumerateArray()
            .Select(s => (s.GetProperty("name").GetString(), s.GetProperty("shardLengths").EnumerateArray().Select(l => l.GetString()).ToList())).ToList();
        Assert.Equal("train", splits[0].Item1);
        Assert.Equal(["2", "1"], splits[0].Item2);
        Assert.Equal("validation", splits[1].Item1);
        Assert.Equal(["1"], splits[1].Item2);
    }

    [Theory]
    [InlineData("tfds", "Train", "split 'Train' is not a TFDS split name")]
    [InlineData("example", "train-1", "split 'train-1' is not a split name")]
    public void Split_names_that_the_layout_cannot_hold_are_refused(string layout, string split, string message)
    {
        using var temp = new TempDirectory();
        var input = MakeVideos(temp);
        var csv = temp.Combine("clips.csv");
        File.WriteAllText(csv, $"video,start,split\na,0,{split}\n");

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--clips", csv, "--layout", layout);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Workers_split_a_run_with_splits_into_the_same_files_as_one_process()
    {
        using var temp = new TempDirectory();
        var input = MakeVideos(temp);
        var csv = temp.Combine("clips.csv");
        File.WriteAllText(csv, "video,start,end,split\na,0,1,train\nb,0,1,train\nc,0,1,val\nd,0,1,train\nd,1,2,val\n");
        string[] common = ["--clips", csv, "--frames", "2", "--videos-per-file", "1"];

        Assert.Equal(0, CliRunner.Run(["convert", input, "-o", temp.Combine("one"), .. common]).ExitCode);
        for (var w = 0; w < 3; w++)
        {
            Assert.Equal(0, CliRunner.Run(["convert", input, "-o", temp.Combine("three"), "--worker-index", $"{w}", "--worker-count", "3", .. common]).ExitCode);
        }

        Assert.Equal(0, CliRunner.Run("merge-manifests", temp.Combine("three")).ExitCode);
        var files = Files(temp.Combine("one"));
        Assert.Equal(5, files.Count);
        Assert.Equal(files, Files(temp.Combine("three")));
        Assert.All(files, f => Assert.Equal(File.ReadAllBytes(temp.Combine("one", f)), File.ReadAllBytes(temp.Combine("three", f))));
        Assert.Equal(File.ReadAllText(temp.Combine("one", "videos.jsonl")), File.ReadAllText(temp.Combine("three", "videos.jsonl")));
        using var one = JsonDocument.Parse(File.ReadAllText(temp.Combine("one", "manifest.json")));
        using var three = JsonDocument.Parse(File.ReadAllText(temp.Combine("three", "manifest.json")));
        Assert.Equal(one.RootElement.GetProperty("totals").GetRawText(), three.RootElement.GetProperty("totals").GetRawText());
    }
}

