using System.Text.Json;
using Video2TfRecord.Conversion.Inputs;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Conversion.Inputs;

/// <summary>--input-list, --shuffle, --dry-run and --split: what goes into a run, in which order, under which names.</summary>
public class CatalogOptionsTests
{
    private static void MakeVideos(TempDirectory temp, int count)
    {
        for (var i = 0; i < count; i++)
        {
            TestVideo.Create(temp.Combine("in", i < count / 2 ? "a" : "b"), $"v{i}", 4 + i, TestCodec.H264Mp4, 48, 32);
        }
    }

    private static List<string?> RecordIds(string folder, string pattern = "*.tfrecord") =>
        Directory.GetFiles(folder, pattern).Order(StringComparer.Ordinal).SelectMany(RecordFiles.ReadAll).Select(r => r.Id).ToList();

    [Fact]
    public void Input_list_adds_its_paths_to_the_arguments_and_names_a_missing_one_by_line()
    {
        using var temp = new TempDirectory();
        MakeVideos(temp, 4);
        var list = temp.Combine("list.txt");
        File.WriteAllLines(list, ["# two of folder b, by path", temp.Combine("in", "b", "v2.mp4"), "", $"  {temp.Combine("in", "b", "v3.mp4")}  "]);

        var run = CliRunner.Run("convert", temp.Combine("in", "a"), "--input-list", list, "-o", temp.Combine("out"), "--frames", "2", "--quiet");
        File.AppendAllLines(list, [temp.Combine("in", "nope.mp4")]);
        var missing = CliRunner.Run("convert", "--input-list", list, "-o", temp.Combine("out2"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(["v0", "v1", "v2", "v3"], RecordIds(temp.Combine("out")));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains($"--input-list {list}, line 5: input not found: {temp.Combine("in", "nope.mp4")}", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_input_skip_lists_a_stale_path_as_failed_and_converts_the_rest()
    {
        using var temp = new TempDirectory();
        MakeVideos(temp, 2);
        var list = temp.Combine("list.txt");
        var stale = temp.Combine("in", "gone.mp4");
        File.WriteAllLines(list, [temp.Combine("in", "a", "v0.mp4"), stale, temp.Combine("in", "b", "v1.mp4")]);

        var run = CliRunner.Run("convert", "--input-list", list, "-o", temp.Combine("out"), "--frames", "2", "--missing-input", "skip", "--quiet");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"video2tfrecord: failed {stale}: the file does not exist", run.Error, StringComparison.Ordinal);
        Assert.Equal(["v0", "v1"], RecordIds(temp.Combine("out")));
    }

    [Fact]
    public void An_input_list_line_starting_with_a_backslash_is_the_rest_of_the_line_exactly()
    {
        var list = InputList.FromReader(new StringReader("\\#take.mp4\n\\ lead.mp4 \n\\\\x.mp4\n# a comment\n  plain.mp4  \n"));

        var inputs = InputCatalog.WithList([], list, MissingInputPolicy.Skip);

        Assert.Equal(["#take.mp4", " lead.mp4 ", "\\x.mp4", "plain.mp4"], inputs);
    }

    [Fact]
    public void Input_list_dash_reads_standard_input()
    {
        // `find … | video2tfrecord convert --input-list -`: a real pipe into the real command line, with a folder, a blank
        // line and a file, beside a folder argument.
        using var temp = new TempDirectory();
        MakeVideos(temp, 4);
        TestVideo.Create(temp.Combine("other"), "w", 5, TestCodec.H264Mp4, 48, 32);

        var run = CliProcess.RunWithInput(temp.Combine("in", "b") + "\n\n" + temp.Combine("in", "a", "v0.mp4") + "\n",
            "convert", temp.Combine("other"), "--input-list", "-", "-o", temp.Combine("out"), "--frames", "2", "--quiet");
        var empty = CliProcess.RunWithInput("", "convert", "--input-list", "-", "-o", temp.Combine("none"), "--quiet");

        Assert.True(run.ExitCode == 0, run.Error);
        // Folder b's videos by their path under b, v0 by its file name, w by its file name: sorted together.
        Assert.Equal(["v0", "v2", "v3", "w"], RecordIds(temp.Combine("out")));
        Assert.Equal(1, empty.ExitCode);
        Assert.Equal("video2tfrecord: --input-list standard input names no input (it holds no path, only blank or comment lines) and no input argument is given\n", empty.Error);
        Assert.False(Directory.Exists(temp.Combine("none")));
    }

    [Theory]
    [InlineData(0UL, 1)]
    [InlineData(42UL, 8)]
    [InlineData(7UL, 8)]
    [InlineData(1UL, 2)]
    [InlineData(123456789UL, 100)]
    [InlineData(ulong.MaxValue, 37)]
    public void Shuffle_order_is_the_one_the_python_reference_computes_from_the_documented_rule(ulong seed, int count)
    {
        var catalog = Enumerable.Range(0, count).Select(i => new CatalogEntry($"/v/{i:D3}.mp4", $"{i:D3}.mp4")).ToList();
        var reference = CliProcess.RunProgram("/usr/bin/python3", Repository.Combine("tests", "python", "shuffle_order.py"),
            seed.ToString(System.Globalization.CultureInfo.InvariantCulture), count.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var shuffled = InputCatalog.Shuffle(catalog, seed);

        Assert.True(reference.ExitCode == 0, reference.Error);
        Assert.Equal(reference.Output.Split(' ', StringSplitOptions.TrimEntries).Select(p => $"{int.Parse(p, System.Globalization.CultureInfo.InvariantCulture):D3}.mp4"),
            shuffled.Select(e => e.RelativePath));
    }

    [Theory]
    [InlineData(42, new[] { 3, 1, 6, 2, 4, 0, 7, 5 })]
    [InlineData(7, new[] { 1, 4, 5, 2, 6, 0, 3, 7 })]
    public void Shuffle_permutes_the_catalog_as_documented_before_sharding(ulong seed, int[] order)
    {
        // The expected orders are what tests/python/shuffle_order.py, written from docs/format.md's description
        // (SplitMix64 + Fisher–Yates from the end), prints for 8 videos; the test below runs it for more seeds and sizes.
        using var temp = new TempDirectory();
        MakeVideos(temp, 8);
        var sorted = Enumerable.Range(0, 8).Select(i => $"{(i < 4 ? "a" : "b")}/v{i}").ToArray();

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "1", "--videos-per-file", "3",
            "--shuffle", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--quiet");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(order.Select(i => sorted[i]), RecordIds(temp.Combine("out")));
        using var manifest = JsonDocument.Parse(File.ReadAllText(temp.Combine("out", "manifest.json")));
        Assert.Equal(seed.ToString(System.Globalization.CultureInfo.InvariantCulture), manifest.RootElement.GetProperty("options").GetProperty("shuffle").GetString());
        var logged = File.ReadAllLines(temp.Combine("out", "videos.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString());
        Assert.Equal(order.Select(i => sorted[i]), logged);
    }

    [Fact]
    public void Dry_run_prints_the_plan_and_writes_nothing()
    {
        using var temp = new TempDirectory();
        MakeVideos(temp, 4);

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--videos-per-file", "3", "--labels-from-folder", "--dry-run");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.False(Directory.Exists(temp.Combine("out")));
        Assert.Equal(
            $"plan: 4 videos into 2 files in {temp.Combine("out")} (0 left out); nothing written (--dry-run)\n" +
            "  videos-00000-of-00002.tfrecord  3 videos\n" +
            "    a/v0.mp4  label 0 a\n    a/v1.mp4  label 0 a\n    b/v2.mp4  label 1 b\n" +
            "  videos-00001-of-00002.tfrecord  1 videos\n" +
            "    b/v3.mp4  label 1 b\n",
            run.Output);
    }

    [Fact]
    public void Split_names_the_tfds_files_and_the_split_in_dataset_info()
    {
        using var temp = new TempDirectory();
        MakeVideos(temp, 2);

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "2", "--layout", "tfds", "--encoding", "png",
            "--prefix", "clips", "--split", "validation", "--quiet");
        var bad = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("bad"), "--layout", "tfds", "--prefix", "clips", "--split", "Val-1");
        var noTfds = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("bad"), "--split", "test");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(["clips-validation.tfrecord-00000-of-00001"], Directory.GetFiles(temp.Combine("out"), "clips-*").Select(Path.GetFileName));
        using var info = JsonDocument.Parse(File.ReadAllText(temp.Combine("out", "dataset_info.json")));
        Assert.Equal("validation", info.RootElement.GetProperty("splits")[0].GetProperty("name").GetString());
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--split 'Val-1' must be a TFDS split name", bad.Error, StringComparison.Ordinal);
        Assert.Equal(1, noTfds.ExitCode);
        Assert.Contains("--split names a TensorFlow Datasets split: it needs --layout tfds", noTfds.Error, StringComparison.Ordinal);
    }
}
