using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Conversion.Output;

/// <summary>Output folders that cannot be used or fill up mid-run: exit 1 naming the folder or file, and no half-written file left.</summary>
public class OutputFolderTests
{
    [Fact]
    public void An_output_path_that_is_a_file_exits_1()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "clip", 2, TestCodec.MjpegAvi, 32, 24);
        File.WriteAllText(temp.Combine("out"), "a file");

        var run = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("out"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("is a file", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_previous_run_is_refused_unless_overwrite_is_given()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "clip", 2, TestCodec.MjpegAvi, 32, 24);
        File.WriteAllText(temp.Combine("keep.txt"), "mine");
        Assert.Equal(0, CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Path, "--frames", "1").ExitCode);

        var again = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Path, "--frames", "1");
        var overwritten = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Path, "--frames", "1", "--overwrite");

        Assert.Equal(1, again.ExitCode);
        Assert.Equal($"video2tfrecord: output folder {temp.Path} already holds a previous run (manifest.json, videos-00000-of-00001.tfrecord, videos.jsonl); "
            + "give --overwrite to replace it, --resume to continue it, or another folder\n", again.Error);
        Assert.Equal(0, overwritten.ExitCode);
        Assert.Equal("mine", File.ReadAllText(temp.Combine("keep.txt")));
    }

    [Fact]
    public void An_output_folder_without_write_permission_exits_1()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        CliProcess.OpenToAll(temp.Path);
        CliProcess.OpenToAll(input);
        CliProcess.OpenToAll(TestVideo.Create(input, "clip", 3, TestCodec.MjpegAvi, 32, 24));
        var output = temp.CreateFolder("out");
        File.SetUnixFileMode(output, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        var run = CliProcess.RunAsNobody("convert", input, "-o", output);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"video2tfrecord: output folder {output} is not writable: permission denied", run.Error.Trim());
    }

    [Fact]
    public void A_full_disk_exits_1_naming_the_file_and_leaves_no_record_file_behind()
    {
        using var temp = new TempDirectory();
        var input = MakeRawCorpus(temp);
        var output = temp.CreateFolder("out");
        using var disk = new SmallDisk(output, "256k");

        var run = CliRunner.Run(FillingRun(input, output));

        Assert.Equal(1, run.ExitCode);
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var cause = Assert.Single(lines, line => line.Contains("cannot write", StringComparison.Ordinal));
        Assert.StartsWith($"video2tfrecord: cannot write {Path.Combine(output, "videos-00000-of-00001.tfrecord")}: No space left on device", cause, StringComparison.Ordinal);
        Assert.Equal(cause, lines[^1]);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
        // The video log stays as .videos.jsonl.partial for --resume, as after an interrupt, beside the manifest written
        // at the start, which lists no finished file; nothing else is left.
        var left = Directory.GetFiles(output, "*", new EnumerationOptions { AttributesToSkip = 0 }).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal([".videos.jsonl.partial", "manifest.json"], left);
        Assert.Empty(Video2TfRecord.Conversion.RunRecords.RunManifest.Read(output)!.Files);
    }

    [Fact]
    public void A_disk_that_is_already_full_exits_1_naming_the_file_that_could_not_be_written()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        TestVideo.Create(input, "a-small", 2, TestCodec.Ffv1Mkv, 32, 24);
        TestVideo.Create(input, "b-large", 3, TestCodec.Ffv1Mkv, 160, 120);
        using var disk = new SmallDisk(temp.CreateFolder("disk"), "256k");
        disk.Fill();
        var output = temp.Combine("disk", "out");

        var run = CliRunner.Run(FillingRun(input, output));

        Assert.Equal(1, run.ExitCode);
        var last = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        // The first file a run writes is its manifest, before any record.
        Assert.StartsWith($"video2tfrecord: cannot write manifest.json or videos.jsonl in {output}: No space left on device", last, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.GetFiles(output, "*", new EnumerationOptions { AttributesToSkip = 0 }),
            file => file.Contains(".tfrecord", StringComparison.Ordinal));
    }

    [Fact]
    public void After_a_full_disk_resume_on_a_freed_disk_writes_every_video()
    {
        using var temp = new TempDirectory();
        var input = MakeRawCorpus(temp);
        var output = temp.CreateFolder("out");
        using var disk = new SmallDisk(output, "256k");
        Assert.Equal(1, CliRunner.Run(FillingRun(input, output)).ExitCode);
        disk.Resize("4m");

        var run = CliRunner.Run([.. FillingRun(input, output), "--resume"]);

        Assert.True(run.ExitCode == 0, run.Error);
        var records = RecordFiles.ReadAll(Path.Combine(output, "videos-00000-of-00001.tfrecord"));
        Assert.Equal(["v0", "v1", "v2"], records.Select(r => r.Id));
        Assert.All(records, record => Assert.Equal(new[] { 0, 1, 2 }, RecordFiles.StoredPatternIndices(record)));
        Assert.Equal(3, File.ReadAllLines(Path.Combine(output, "videos.jsonl")).Length);
    }

    [Fact]
    public void An_output_folder_inside_the_input_folder_is_not_read_as_input_on_the_next_run()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        TestVideo.Create(input, "clip", 4, TestCodec.MjpegAvi, 32, 24);
        var output = Path.Combine(input, "out");
        Assert.Equal(0, CliRunner.Run("convert", input, "-o", output, "--frames", "2").ExitCode);

        var again = CliRunner.Run("convert", input, "-o", output, "--frames", "2", "--overwrite");

        Assert.True(again.ExitCode == 0, again.Error);
        Assert.StartsWith("converted 1 of 1 videos", again.Output, StringComparison.Ordinal);
        var record = Assert.Single(RecordFiles.ReadAll(Path.Combine(output, "videos-00000-of-00001.tfrecord")));
        Assert.Equal("clip", record.Id);
        Assert.Equal(new[] { 1, 3 }, RecordFiles.StoredPatternIndices(record));
    }

    // Three videos whose raw records are 3 × 160·120·3 = 172,800 bytes each: the first fits on 256 KiB, the second does not.
    private static string MakeRawCorpus(TempDirectory temp)
    {
        var input = temp.CreateFolder("in");
        for (var i = 0; i < 3; i++)
        {
            TestVideo.Create(input, $"v{i}", 3, TestCodec.Ffv1Mkv, 160, 120);
        }

        return input;
    }

    private static string[] FillingRun(string input, string output) =>
        ["convert", input, "-o", output, "--frames", "all", "--encoding", "raw", "--jobs", "1"];
}
