using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Video2TfRecord.Records;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Conversion;

/// <summary>Inputs and output folders that go wrong in the field: each named in one line, the rest still converted.</summary>
public class MoreBadInputTests
{
    private const string NotReadable = "not a readable video: no video stream, or a container or codec the decoder does not know";

    [Fact]
    public void An_audio_only_file_is_listed_as_not_a_readable_video_and_the_rest_converted_with_exit_3()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        TestVideo.Create(input, "a-good", 6, TestCodec.H264Mp4, 48, 32);
        var audio = Path.Combine(input, "b-audio.mp4");
        Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", audio);

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--frames", "3");

        Assert.Equal(3, run.ExitCode);
        AssertListedOnce(run, "failed", audio, NotReadable);
        AssertOnlyGoodVideoWritten(temp);
    }

    [Fact]
    public void A_video_in_a_codec_the_decoder_lacks_is_listed_and_the_rest_converted_with_exit_3()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        TestVideo.Create(input, "a-good", 6, TestCodec.H264Mp4, 48, 32);
        var unknown = TestVideo.Create(input, "b-unknown-codec", 6, TestCodec.Mpeg4Avi, 48, 32);
        RenameAviCodec(unknown, "FMP4", "ZZZZ");

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--frames", "3");

        Assert.Equal(3, run.ExitCode);
        AssertListedOnce(run, "failed", unknown, NotReadable);
        AssertOnlyGoodVideoWritten(temp);
    }

    [Fact]
    public void Names_with_spaces_and_non_ascii_letters_keep_their_exact_relative_path_in_utf8()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        var source = TestVideo.Create(Path.Combine(input, "my videos"), "clip ü 日本", 6, TestCodec.H264Mp4, 48, 32);

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--frames", "3");

        Assert.True(run.ExitCode == 0, run.Error);
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        Assert.Equal(Encoding.UTF8.GetBytes("my videos/clip ü 日本"), StoredBytes(record, ExampleLayout.VideoId));
        Assert.Equal(Encoding.UTF8.GetBytes("my videos/clip ü 日本.mp4"), StoredBytes(record, ExampleLayout.VideoPath));
        Assert.Equal(new[] { 1, 3, 5 }, RecordFiles.StoredPatternIndices(record));
        var line = JsonDocument.Parse(Assert.Single(File.ReadAllLines(temp.Combine("out", "videos.jsonl")))).RootElement;
        Assert.Equal("my videos/clip ü 日本", line.GetProperty("id").GetString());
        Assert.Equal("my videos/clip ü 日本.mp4", line.GetProperty("path").GetString());
        Assert.Equal(source, line.GetProperty("source").GetString());
        Assert.Equal("ok", line.GetProperty("status").GetString());
    }

    [Fact]
    public void A_pattern_that_matches_nothing_exits_1_saying_no_videos_were_found()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        TestVideo.Create(input, "clip", 3, TestCodec.MjpegAvi, 32, 24);

        var run = CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--pattern", "*.xyz");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"video2tfrecord: no videos found in {input}: no file matching '*.xyz'", run.Error.Trim());
        Assert.False(Directory.Exists(temp.Combine("out")));
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
        // The video log stays as .videos.jsonl.partial for --resume, as after an interrupt; nothing else is left.
        var left = Directory.GetFiles(output, "*", new EnumerationOptions { AttributesToSkip = 0 }).Select(Path.GetFileName);
        Assert.Equal([".videos.jsonl.partial"], left);
    }

    [Fact]
    public void A_disk_that_is_already_full_exits_1_naming_the_record_file_that_could_not_be_written()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        // The small record waits in the write buffers together with its videos.jsonl line; the large one finds no space.
        TestVideo.Create(input, "a-small", 2, TestCodec.Ffv1Mkv, 32, 24);
        TestVideo.Create(input, "b-large", 3, TestCodec.Ffv1Mkv, 160, 120);
        using var disk = new SmallDisk(temp.CreateFolder("disk"), "256k");
        disk.Fill();
        var output = temp.Combine("disk", "out");

        var run = CliRunner.Run(FillingRun(input, output));

        Assert.Equal(1, run.ExitCode);
        var last = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.StartsWith($"video2tfrecord: cannot write {Path.Combine(output, "videos-00000-of-00001.tfrecord")}: No space left on device", last, StringComparison.Ordinal);
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

    private static void AssertListedOnce(CliRunner.Outcome run, string status, string path, string reason)
    {
        var line = $"video2tfrecord: {status} {path}: {reason}";
        Assert.Single(run.Error.Split('\n'), l => l.Contains(path, StringComparison.Ordinal));
        Assert.Contains(line + "\n", run.Error, StringComparison.Ordinal);
        Assert.Contains($"not written (1):\n  {status} {path}: {reason}\n", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    private static void AssertOnlyGoodVideoWritten(TempDirectory temp)
    {
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        Assert.Equal("a-good", record.Id);
        Assert.Equal(new[] { 1, 3, 5 }, RecordFiles.StoredPatternIndices(record));
    }

    private static byte[] StoredBytes(ParsedRecord record, string key) => record.Features.Feature[key].BytesList.Value[0].ToByteArray();

    // AVI names its codec twice: fccHandler in the video stream header (strh) and biCompression in its format (strf).
    private static void RenameAviCodec(string path, string from, string to)
    {
        var bytes = File.ReadAllBytes(path);
        var strh = bytes.AsSpan().IndexOf("strh"u8);
        var strf = bytes.AsSpan().IndexOf("strf"u8);
        Assert.True(strh > 0 && strf > strh, "no AVI stream header");
        Assert.Equal("vids", Encoding.ASCII.GetString(bytes, strh + 8, 4));
        foreach (var at in new[] { strh + 12, strf + 24 })
        {
            Assert.Equal(from, Encoding.ASCII.GetString(bytes, at, 4));
            Encoding.ASCII.GetBytes(to).CopyTo(bytes, at);
        }

        File.WriteAllBytes(path, bytes);
    }

    private static void Ffmpeg(params string[] args) => Run("ffmpeg", ["-v", "error", "-y", .. args]);

    private static void Run(string program, string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed: {errors}");
        }
    }

    /// <summary>A tmpfs of a few hundred KiB mounted over a test folder (tests run as root), detached on dispose.</summary>
    private sealed class SmallDisk : IDisposable
    {
        private readonly string _path;

        public SmallDisk(string path, string size)
        {
            _path = path;
            Run("mount", ["-t", "tmpfs", "-o", $"size={size}", "tmpfs", path]);
        }

        public void Resize(string size) => Run("mount", ["-o", $"remount,size={size}", _path]);

        /// <summary>Takes every free block with a file of zeros (at most 4 MiB, so a disk that never fills fails the test).</summary>
        public void Fill()
        {
            using var filler = new FileStream(Path.Combine(_path, "filler"), FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
            var block = new byte[4096];
            for (var i = 0; i < 1024; i++)
            {
                try
                {
                    filler.Write(block);
                }
                catch (IOException)
                {
                    return;
                }
            }

            throw new InvalidOperationException($"{_path} did not fill up");
        }

        public void Dispose() => Run("umount", ["-l", _path]);
    }
}
