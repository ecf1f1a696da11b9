using System.Text.Json;
using OpenCvSharp;
using Video2TfRecord.Protos;
using Video2TfRecord.Records;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Conversion.Output;

/// <summary>
/// <c>--layout tfds</c> end to end: records in the form TFDS's example serializer writes, TFDS file names, and the
/// dataset_info.json / features.json that <c>tfds.builder_from_directory</c> reads.
/// </summary>
public class TfdsLayoutTests
{
    private static readonly string[] TrainFiles = ["videos-train.tfrecord-00000-of-00002", "videos-train.tfrecord-00001-of-00002"];

    // Three videos of 30, 40 and 50 pattern frames in two class folders.
    private static string MakeTree(TempDirectory temp)
    {
        var input = temp.CreateFolder("in");
        TestVideo.Create(Path.Combine(input, "walk"), "a", 30, TestCodec.MjpegAvi);
        TestVideo.Create(Path.Combine(input, "walk"), "b", 40, TestCodec.MjpegAvi);
        TestVideo.Create(Path.Combine(input, "wave"), "c", 50, TestCodec.MjpegAvi);
        return input;
    }

    private static CliRunner.Outcome Convert(string input, string output, params string[] more) =>
        CliRunner.Run(["convert", input, "-o", output, "--layout", "tfds", "--frames", "4", "--videos-per-file", "2", "--quiet", .. more]);

    private static List<(string File, Example Example, int Bytes)> ReadExamples(string folder) =>
        TrainFiles.SelectMany(f => RecordFiles.ReadRaw(Path.Combine(folder, f)).Select(b => (f, Example.Parser.ParseFrom(b), b.Length))).ToList();

    private static JsonElement ReadJson(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        return json.RootElement.Clone();
    }

    [Fact]
    public void Tfds_record_holds_the_frames_as_one_video_bytes_list_and_the_label_as_its_class_index()
    {
        using var temp = new TempDirectory();
        var input = MakeTree(temp);

        var run = Convert(input, temp.Combine("out"), "--size", "80x60", "--encoding", "png", "--labels-from-folder");

        Assert.True(run.ExitCode == 0, run.Error);
        var examples = ReadExamples(temp.Combine("out"));
        Assert.Equal(["walk/a", "walk/b", "wave/c"], examples.Select(e => e.Example.Features.Feature[TfdsLayout.VideoId].BytesList.Value[0].ToStringUtf8()));
        Assert.Equal([0L, 0L, 1L], examples.Select(e => e.Example.Features.Feature[TfdsLayout.Label].Int64List.Value.Single()));
        foreach (var (_, example, _) in examples)
        {
            var features = example.Features.Feature;
            Assert.Equal(["frame_count", "frame_indices", "label", "timestamps_us", "video", "video_id", "video_path"], features.Keys.Order(StringComparer.Ordinal));
            var indices = features[TfdsLayout.FrameIndices].Int64List.Value.Select(i => (int)i).ToArray();
            var frames = features[TfdsLayout.Video].BytesList.Value;
            Assert.Equal(4, frames.Count);
            Assert.Equal(4, features[TfdsLayout.TimestampsUs].Int64List.Value.Count);
            for (var i = 0; i < frames.Count; i++)
            {
                using var image = Cv2.ImDecode(frames[i].Span, ImreadModes.Unchanged);
                Assert.Equal((60, 80, 3), (image.Rows, image.Cols, image.Channels()));
                Assert.Equal(indices[i], PatternFrames.ReadIndex(image));
                // OpenCV decodes to BGR: reading R, G, B from left to right proves the PNG holds RGB.
                Assert.Equal("RGB", PatternFrames.ReadPatchOrder(image));
            }
        }

        var c = examples[2].Example.Features.Feature;
        Assert.Equal([6L, 18L, 31L, 43L], c[TfdsLayout.FrameIndices].Int64List.Value);
        Assert.Equal(50L, c[TfdsLayout.FrameCount].Int64List.Value.Single());
        Assert.Equal("wave/c.avi", c[TfdsLayout.VideoPath].BytesList.Value.Single().ToStringUtf8());
    }

    [Fact]
    public void Tfds_files_are_named_as_tfds_expects_and_dataset_info_lists_their_lengths_and_example_bytes()
    {
        using var temp = new TempDirectory();
        var input = MakeTree(temp);

        var run = Convert(input, temp.Combine("out"), "--labels-from-folder");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(["dataset_info.json", "features.json", "label.labels.txt", "labels.json", "manifest.json", .. TrainFiles, "videos.jsonl"],
            Directory.GetFiles(temp.Combine("out")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var info = ReadJson(temp.Combine("out", "dataset_info.json"));
        Assert.Equal(["description", "fileFormat", "name", "splits", "supervisedKeys", "version"], info.EnumerateObject().Select(p => p.Name));
        Assert.Equal("videos", info.GetProperty("name").GetString());
        Assert.Equal("1.0.0", info.GetProperty("version").GetString());
        Assert.Equal("tfrecord", info.GetProperty("fileFormat").GetString());
        Assert.Equal("""{"input":"video","output":"label"}""", info.GetProperty("supervisedKeys").GetRawText().Replace(" ", "", StringComparison.Ordinal).ReplaceLineEndings(""));
        var split = info.GetProperty("splits").EnumerateArray().Single();
        Assert.Equal("train", split.GetProperty("name").GetString());
        // int64 fields are JSON strings in the proto3 JSON mapping that TFDS writes and reads.
        Assert.Equal(["2", "1"], split.GetProperty("shardLengths").EnumerateArray().Select(l => l.GetString()));
        var examples = ReadExamples(temp.Combine("out"));
        Assert.Equal(examples.Sum(e => (long)e.Bytes).ToString(System.Globalization.CultureInfo.InvariantCulture), split.GetProperty("numBytes").GetString());
        Assert.Equal("walk\nwave\n", File.ReadAllText(temp.Combine("out", "label.labels.txt")));
    }

    [Fact]
    public void Tfds_features_json_declares_video_class_label_text_and_tensor_features_in_tfds_proto_json()
    {
        using var temp = new TempDirectory();
        var input = MakeTree(temp);

        var run = Convert(input, temp.Combine("out"), "--size", "80x60", "--encoding", "png", "--labels-from-folder");

        Assert.True(run.ExitCode == 0, run.Error);
        const string Tensor = """{"pythonClassName":"tensorflow_datasets.core.features.tensor_feature.Tensor","tensor":{"shape":{"dimensions":["4"]},"dtype":"int64","encoding":"none"}}""";
        const string Text = """{"pythonClassName":"tensorflow_datasets.core.features.text_feature.Text","text":{}}""";
        var expected = $$$"""
            {"pythonClassName":"tensorflow_datasets.core.features.features_dict.FeaturesDict","featuresDict":{"features":{
            "frame_count":{"pythonClassName":"tensorflow_datasets.core.features.tensor_feature.Tensor","tensor":{"shape":{},"dtype":"int64","encoding":"none"}},
            "frame_indices":{{{Tensor}}},
            "label":{"pythonClassName":"tensorflow_datasets.core.features.class_label_feature.ClassLabel","classLabel":{"numClasses":"2"}},
            "timestamps_us":{{{Tensor}}},
            "video":{"pythonClassName":"tensorflow_datasets.core.features.video_feature.Video","video":{"shape":{"dimensions":["4","60","80","3"]},"dtype":"uint8","encodingFormat":"png"}},
            "video_id":{{{Text}}},
            "video_path":{{{Text}}}
            }}
            }
            """.ReplaceLineEndings("");
        Assert.Equal(expected, Compact(temp.Combine("out", "features.json")));
    }

    [Theory]
    [InlineData("gray", "uint16", "png", "-1", "1")]
    [InlineData("rgb", "uint8", "auto", "-1", "3")]
    public void Tfds_video_shape_dtype_and_encoding_follow_the_options(string color, string dtype, string encoding, string size, string channels)
    {
        using var temp = new TempDirectory();
        var input = MakeTree(temp);

        var run = Convert(input, temp.Combine("out"), "--color", color, "--dtype", dtype, "--encoding", encoding);

        Assert.True(run.ExitCode == 0, run.Error);
        var video = ReadJson(temp.Combine("out", "features.json")).GetProperty("featuresDict").GetProperty("features").GetProperty("video").GetProperty("video");
        Assert.Equal(["4", size, size, channels], video.GetProperty("shape").GetProperty("dimensions").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(dtype, video.GetProperty("dtype").GetString());
        Assert.Equal(dtype == "uint16" ? "png" : "jpeg", video.GetProperty("encodingFormat").GetString());
        var frames = ReadExamples(temp.Combine("out"))[0].Example.Features.Feature[TfdsLayout.Video].BytesList.Value;
        using var image = Cv2.ImDecode(frames[0].Span, ImreadModes.Unchanged);
        Assert.Equal((int.Parse(channels, System.Globalization.CultureInfo.InvariantCulture), dtype == "uint16" ? 2 : 1), (image.Channels(), (int)image.ElemSize1()));
        Assert.False(File.Exists(temp.Combine("out", "label.labels.txt")));
        Assert.False(ReadJson(temp.Combine("out", "dataset_info.json")).TryGetProperty("supervisedKeys", out _));
    }

    [Theory]
    [InlineData(new[] { "--encoding", "raw" }, "--encoding raw cannot be used with --layout tfds")]
    [InlineData(new[] { "--compression", "gzip" }, "--compression cannot be used with --layout tfds")]
    [InlineData(new[] { "--prefix", "My-Videos" }, "--prefix 'My-Videos' is the dataset name with --layout tfds")]
    [InlineData(new[] { "--prefix", "1videos" }, "must be a TFDS name")]
    public void Tfds_layout_refuses_what_tfds_cannot_read_naming_the_option(string[] options, string message)
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        TestVideo.Create(input, "a", 3, TestCodec.MjpegAvi, 32, 24);

        var run = Convert(input, temp.Combine("out"), options);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Tfds_output_is_a_previous_run_that_overwrite_replaces_and_resume_keeps()
    {
        using var temp = new TempDirectory();
        var input = MakeTree(temp);
        var output = temp.Combine("out");
        Assert.Equal(0, Convert(input, output, "--labels-from-folder").ExitCode);
        var first = File.ReadAllBytes(Path.Combine(output, TrainFiles[0]));

        var refused = Convert(input, output, "--labels-from-folder");
        var resumed = Convert(input, output, "--labels-from-folder", "--resume");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("already holds a previous run (dataset_info.json", refused.Error, StringComparison.Ordinal);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(first, File.ReadAllBytes(Path.Combine(output, TrainFiles[0])));
        // Overwrite without labels: the label file of the previous run goes with it.
        Assert.Equal(0, Convert(input, output, "--overwrite").ExitCode);
        Assert.False(File.Exists(Path.Combine(output, "label.labels.txt")));
        Assert.Equal(TrainFiles, Directory.GetFiles(output, "videos-train.tfrecord-*").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Tfds_video_kept_without_label_stores_minus_one_and_verify_decodes_every_frame()
    {
        using var temp = new TempDirectory();
        var input = MakeTree(temp);
        var csv = temp.Combine("labels.csv");
        File.WriteAllText(csv, "path,label\nwalk/a.avi,3\nwave/c.avi,1\n");

        var run = Convert(input, temp.Combine("out"), "--labels", csv, "--missing-label", "keep");
        var verify = CliRunner.Run("verify", temp.Combine("out"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal([3L, -1L, 1L], ReadExamples(temp.Combine("out")).Select(e => e.Example.Features.Feature[TfdsLayout.Label].Int64List.Value.Single()));
        // Integer labels are their own class numbers; TFDS names classes 0..max without gaps.
        Assert.Equal("0\n1\n2\n3\n", File.ReadAllText(temp.Combine("out", "label.labels.txt")));
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
        Assert.Contains("(2 records, 8 images decoded)", verify.Output, StringComparison.Ordinal);
        var parsed = RecordFiles.ReadAll(temp.Combine("out", TrainFiles[0]));
        Assert.Equal((RecordLayout.Tfds, "walk/a", (long?)3, 4), (parsed[0].Layout, parsed[0].Id, parsed[0].LabelIndex, parsed[0].Images().Count));
        Assert.Null(parsed[1].LabelIndex);
    }

    [Fact]
    public void Tfds_metadata_parses_strictly_against_tfds_protos_in_python()
    {
        using var temp = new TempDirectory();
        var input = MakeTree(temp);
        Assert.Equal(0, Convert(input, temp.Combine("out"), "--labels-from-folder", "--size", "80x60").ExitCode);

        var check = CliProcess.RunProgram("/usr/bin/python3", Repository.Combine("tests", "python", "tfds_layout_check.py"), temp.Combine("out"));

        Assert.True(check.ExitCode == 0, check.Output + check.Error);
        Assert.StartsWith("ok", check.Output, StringComparison.Ordinal);
        Assert.Contains("\"shards\": [2, 1]", check.Output, StringComparison.Ordinal);
        Assert.Contains("\"classes\": 2", check.Output, StringComparison.Ordinal);
    }

    private static string Compact(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        return JsonSerializer.Serialize(json.RootElement);
    }
}
