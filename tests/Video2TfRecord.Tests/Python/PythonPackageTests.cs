using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Python;

/// <summary>
/// The Python package as a user meets it (issue 22): the wheel scripts/build-wheel.sh builds, installed with
/// <c>pip install --no-index</c> into a fresh venv of Debian's python3, called through tests/python/package_check.py.
/// </summary>
public class PythonPackageTests
{
    private static JsonElement Check(string python, params string[] args)
    {
        var run = CliProcess.RunProgram([python, Repository.Combine("tests", "python", "package_check.py"), .. args]);
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        return JsonDocument.Parse(run.Output).RootElement;
    }

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Fact]
    public void The_wheel_is_tagged_by_the_glibc_its_native_files_need_and_its_record_lists_every_file_with_its_hash()
    {
        Assert.Matches(@"^video2tfrecord_net-\d+\.\d+\.\d+-py3-none-manylinux_2_(\d+)_x86_64\.whl$", System.IO.Path.GetFileName(PythonWheel.Path));
        using var wheel = ZipFile.OpenRead(PythonWheel.Path);
        var record = wheel.Entries.Single(e => e.FullName.EndsWith(".dist-info/RECORD", StringComparison.Ordinal));
        using var reader = new StreamReader(record.Open());
        var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(wheel.Entries.Count, lines.Length);
        foreach (var line in lines.Where(l => !l.EndsWith(",,", StringComparison.Ordinal)))
        {
            var parts = line.Split(',');
            using var stream = wheel.GetEntry(parts[0])!.Open();
            var hash = "sha256=" + Convert.ToBase64String(SHA256.HashData(stream)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            Assert.Equal(parts[1], hash);
            Assert.Equal(wheel.GetEntry(parts[0])!.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), parts[2]);
        }

        Assert.Contains(wheel.Entries, e => e.FullName == "video2tfrecord_net/_bin/Video2TfRecord.Cli" && (e.ExternalAttributes >> 16 & 0b001_000_000) != 0);
        Assert.Contains(wheel.Entries, e => e.FullName == "video2tfrecord_net/_options.json");
    }

    [Fact]
    public void The_original_call_writes_raw_records_of_the_seed_frames_that_read_gives_back()
    {
        using var temp = new TempDirectory();
        var source = temp.CreateFolder("in");
        TestVideo.Create(source, "a", 20, TestCodec.H264Mp4, 64, 48);
        TestVideo.Create(source, "b", 31, TestCodec.H264Mp4, 96, 72);
        TestVideo.Create(source, "e", 3, TestCodec.H264Mp4, 64, 48);
        TestVideo.Create(source, "c", 20, TestCodec.Mpeg4Avi, 64, 48);           // not *.mp4
        TestVideo.Create(temp.Combine("in", "sub"), "d", 20, TestCodec.H264Mp4, 64, 48);   // below the top level: the original did not look there

        var result = Check(PythonWheel.SharedPython, "original", source, temp.Combine("out"));

        Assert.Equal(["batch-00000-of-00002.tfrecord", "batch-00001-of-00002.tfrecord", "manifest.json", "videos.jsonl"], Strings(result.GetProperty("files")));
        var records = result.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(["a", "b"], records.Select(r => r.GetProperty("id").GetString()));
        // Seed sampling, i·floor(T/N): 20 frames → step 5, 31 → step 7; every frame resized to the asked 64×48, RGB + the flow channel.
        Assert.Equal([0, 5, 10, 15], Ints(records[0].GetProperty("indices")));
        Assert.Equal([0, 7, 14, 21], Ints(records[1].GetProperty("indices")));
        Assert.All(records, r =>
        {
            Assert.Equal(Ints(r.GetProperty("indices")), Ints(r.GetProperty("pattern")));
            Assert.Equal([4, 48, 64, 4], Ints(r.GetProperty("shape")));
            Assert.Equal("RAW", r.GetProperty("format").GetString());
            Assert.Equal("uint8", r.GetProperty("dtype").GetString());
        });
        // The original's keys and byte layout: blob/i of H·W·C bytes, height, width, depth.
        var values = result.GetProperty("values");
        Assert.Equal(48 * 64 * 4, values.GetProperty("blob/0").GetInt32());
        Assert.Equal([48], Ints(values.GetProperty("height")));
        Assert.Equal([64], Ints(values.GetProperty("width")));
        Assert.Equal([4], Ints(values.GetProperty("depth")));
        Assert.Contains("blob/3", Strings(result.GetProperty("keys")));
        Assert.DoesNotContain("blob/4", Strings(result.GetProperty("keys")));
        // Fewer frames than asked: left out, as the original left it out, and said.
        var run = result.GetProperty("result");
        Assert.Equal(2, run.GetProperty("converted").GetInt32());
        Assert.Equal(3, run.GetProperty("total").GetInt32());
        var failure = run.GetProperty("failures")[0];
        Assert.Equal("e.mp4", failure[0].GetString());
        Assert.Equal("skipped", failure[1].GetString());
    }

    [Fact]
    public void Convert_with_labels_and_clips_returns_the_result_and_read_gives_labels_windows_and_frames()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in", "jump"), "a", 20, TestCodec.H264Mp4, 64, 48);
        TestVideo.Create(temp.Combine("in", "walk"), "b", 31, TestCodec.Mpeg4Avi, 64, 48);
        File.WriteAllText(temp.Combine("labels.csv"), "path,label\njump/a.mp4,jump\n");
        File.WriteAllText(temp.Combine("clips.csv"), "video,start,end,caption\njump/a.mp4,0,0.4,first half\njump/a.mp4,0.4,0.8,second half\n");

        var result = Check(PythonWheel.SharedPython, "convert", temp.Combine("in"), temp.Combine("out"), temp.Combine("labels.csv"), temp.Combine("clips.csv"));

        var labels = result.GetProperty("labels");
        Assert.True(labels.GetProperty("complete").GetBoolean());
        Assert.Equal(2, labels.GetProperty("converted").GetInt32());
        var labeled = result.GetProperty("label_records").EnumerateArray().ToList();
        Assert.Equal(["jump/a", "walk/b"], labeled.Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(0, labeled[0].GetProperty("label").GetInt32());
        Assert.Equal("jump", labeled[0].GetProperty("label_text").GetString());
        Assert.Equal(JsonValueKind.Null, labeled[1].GetProperty("label").ValueKind);
        Assert.Equal([3, 10, 16], Ints(labeled[0].GetProperty("pattern")));
        Assert.Equal([5, 15, 25], Ints(labeled[1].GetProperty("pattern")));

        var clips = result.GetProperty("clip_records").EnumerateArray().ToList();
        Assert.Equal(["jump/a_000000_000400", "jump/a_000400_000800"], clips.Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(["first half", "second half"], clips.Select(r => r.GetProperty("caption").GetString()));
        Assert.All(clips, c => Assert.Equal("jump/a", c.GetProperty("source_id").GetString()));
        Assert.Equal([0, 400_000], Ints(clips[0].GetProperty("clip_us")));
        Assert.Equal([2, 7], Ints(clips[0].GetProperty("pattern")));   // frames 0..9: floor((2i+1)·10/4)
        Assert.Equal([12, 17], Ints(clips[1].GetProperty("pattern")));
        Assert.All(clips, c => Assert.Equal("sequence", c.GetProperty("layout").GetString()));
        Assert.Equal([["videos-00000-of-00001.tfrecord.gz", "2"]], result.GetProperty("clips").GetProperty("files").EnumerateArray()
            .Select(f => new[] { f[0].GetString()!, f[1].GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture) }));
    }

    [Fact]
    public void Refused_options_raise_conversion_error_in_the_command_lines_words_and_unknown_keywords_type_error()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "a", 10, TestCodec.H264Mp4, 64, 48);
        var cli = CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("cli"), "--frames", "abc");

        var errors = Check(PythonWheel.SharedPython, "errors", temp.Combine("in"), temp.Combine("out"));

        var frames = errors.GetProperty("frames");
        Assert.Equal("--frames: expected a whole number from 1 to 1000000 or 'all', got 'abc'", frames[0].GetString());
        Assert.Contains($"video2tfrecord: {frames[0].GetString()}\n", cli.Error, StringComparison.Ordinal);
        Assert.Equal(1, frames[1].GetInt32());
        Assert.StartsWith("--size: ", errors.GetProperty("size")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("--encoding raw", errors.GetProperty("layout")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("missing", errors.GetProperty("missing")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("convert() got an unexpected keyword argument 'frame'; did you mean frames?", errors.GetProperty("unknown").GetString());
        var binary = errors.GetProperty("binary").GetString()!;
        Assert.DoesNotContain('\n', binary);
        Assert.Contains("no-such-binary is missing", binary, StringComparison.Ordinal);
        Assert.Contains("install the linux x86_64 wheel", binary, StringComparison.Ordinal);
    }

    [Fact]
    public void The_console_script_runs_the_command_line_with_its_exit_codes()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "a", 10, TestCodec.H264Mp4, 64, 48);
        var script = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(PythonWheel.SharedPython)!, "video2tfrecord");

        var converted = CliProcess.RunProgram(script, "convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "2", "--quiet");
        var verified = CliProcess.RunProgram(script, "verify", temp.Combine("out"));
        var refused = CliProcess.RunProgram(script, "convert", temp.Combine("missing"), "-o", temp.Combine("out2"));

        Assert.True(converted.ExitCode == 0, converted.Error);
        Assert.StartsWith("converted 1 of 1 videos", converted.Output, StringComparison.Ordinal);
        Assert.Equal(0, verified.ExitCode);
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("video2tfrecord: ", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigint_to_python_stops_the_converter_cleanly_and_resume_finishes_the_run()
    {
        using var temp = new TempDirectory();
        var (python, output) = await StartSlowConversion(temp, "interrupt");
        // Whatever happens below, neither Python nor a converter of this run outlives the test.
        using var leftovers = new Leftovers(python, output);
        var error = python.StandardError.ReadToEndAsync();
        // To the Python process alone, as `kill -INT` would: the package must pass it on.
        Process.Start("kill", ["-INT", python.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        var printed = python.StandardOutput.ReadToEndAsync();
        Assert.True(python.WaitForExit(TimeSpan.FromSeconds(120)), "python did not finish");
        var errors = await error;

        Assert.True(python.ExitCode == 0, errors);
        using var result = JsonDocument.Parse(await printed);
        Assert.True(result.RootElement.GetProperty("interrupted").GetBoolean(), errors);
        Assert.Matches(@"video2tfrecord: interrupted; [1-7] of 8 files were finished and kept in .* --resume continues the run", errors);
        var resumed = result.RootElement.GetProperty("resumed");
        Assert.True(resumed.GetProperty("complete").GetBoolean());
        Assert.Equal(16, resumed.GetProperty("converted").GetInt32());
        Assert.Equal(0, CliProcess.Run("verify", output).ExitCode);
        Assert.Empty(ConvertersWriting(output));
    }

    [Fact]
    public async Task A_python_process_killed_outright_takes_its_converter_with_it_and_resume_finishes_the_run()
    {
        using var temp = new TempDirectory();
        var (python, output) = await StartSlowConversion(temp, "orphan");
        // Whatever happens below, neither Python nor a converter of this run outlives the test.
        using var leftovers = new Leftovers(python, output);
        var pythonId = python.Id;
        Assert.Contains(ConvertersWriting(output), id => id != pythonId);

        // SIGKILL: Python runs no handler, so only the kernel can tell the converter (PR_SET_PDEATHSIG).
        python.Kill();
        Assert.True(python.WaitForExit(TimeSpan.FromSeconds(30)), "python did not die");
        var clock = Stopwatch.StartNew();
        while (ConvertersWriting(output).Count > 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the converter still ran 30 s after its Python parent was killed");
            Thread.Sleep(50);
        }

        // It stopped then, as on SIGTERM, instead of converting the rest alone (it did before the converter asked the
        // kernel to be told: its progress pipe broken, it went on to the last of the 8 files): what it finished is
        // kept, and --resume converts the rest.
        Assert.InRange(FinishedFiles(output), 1, 7);
        var resumed = CliProcess.Run("convert", temp.Combine("in"), "-o", output, "--frames", "all", "--encoding", "png", "--videos-per-file", "2",
            "--jobs", "1", "--resume", "--quiet");
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(0, CliProcess.Run("verify", output).ExitCode);
        Assert.Equal(16, File.ReadAllLines(System.IO.Path.Combine(output, "videos.jsonl")).Length);
    }

    // Starts package_check.py MODE on 16 videos slow enough that the test acts while files are still to be written (ffv1,
    // every frame as PNG, one job), and returns once the first file is finished (the manifest lists it).
    private static async Task<(Process Python, string Output)> StartSlowConversion(TempDirectory temp, string mode)
    {
        var input = temp.CreateFolder("in");
        for (var i = 0; i < 16; i++)
        {
            TestVideo.Create(input, $"v{i:D2}", 75, TestCodec.Ffv1Mkv, 320, 240);
        }

        var output = temp.Combine("out");
        var start = new ProcessStartInfo("env", ["--default-signal=INT,TERM", PythonWheel.SharedPython, Repository.Combine("tests", "python", "package_check.py"), mode, input, output])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var python = Process.Start(start)!;
        try
        {
            Assert.Equal("started", await python.StandardOutput.ReadLineAsync());
            var clock = Stopwatch.StartNew();
            while (FinishedFiles(output) == 0)
            {
                Assert.False(python.HasExited, "python ended before its first file was finished");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "no file was finished within 120 s");
                Thread.Sleep(10);
            }
        }
        catch
        {
            new Leftovers(python, output).Dispose();
            throw;
        }

        return (python, output);
    }

    // Kills, when disposed, the Python process with its children and any process still writing the output folder.
    private sealed class Leftovers(Process python, string output) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                if (!python.HasExited)
                {
                    python.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
                // Gone already.
            }

            ChildProcess.KillNaming(output);
            python.Dispose();
        }
    }

    // The processes whose command line names this output folder: converters of the run.
    private static List<int> ConvertersWriting(string output) => ChildProcess.Naming(output);

    private static int FinishedFiles(string output)
    {
        try
        {
            using var manifest = JsonDocument.Parse(File.ReadAllBytes(System.IO.Path.Combine(output, "manifest.json")));
            return manifest.RootElement.GetProperty("files").GetArrayLength();
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            // Not written yet, or being replaced right now.
            return 0;
        }
    }

    [Theory]
    [InlineData("example", "labels,flow", "--flow", "dis")]
    [InlineData("sequence", "labels,flow,audio", "--flow", "dis", "--audio")]
    public void The_tf_feature_spec_names_keys_the_records_hold_with_their_types_and_counts(string layout, string flags, params string[] more)
    {
        using var temp = new TempDirectory();
        var silent = TestVideo.Create(temp.CreateFolder("src"), "a", 20, TestCodec.H264Mp4, 64, 48);
        TestVideo.WithAudio(silent, "sine=f=440:d=1", System.IO.Path.Combine(temp.CreateFolder("in", "jump"), "a.mp4"));
        TestVideo.WithAudio(silent, "sine=f=880:d=1", System.IO.Path.Combine(temp.CreateFolder("in", "walk"), "b.mp4"));
        var convert = CliRunner.Run(["convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "3", "--layout", layout, "--labels-from-folder", "--quiet", .. more]);
        Assert.True(convert.ExitCode == 0, convert.Error);

        var check = Check(PythonWheel.SharedPython, "tfspec", temp.Combine("out"), layout, "3", flags);

        Assert.Empty(Strings(check.GetProperty("problems")));
        Assert.InRange(check.GetProperty("keys").GetInt32(), 10, 100);
    }

    [Fact]
    public void Uninstall_leaves_nothing_behind()
    {
        using var temp = new TempDirectory();
        var venv = temp.Combine("venv");
        var python = PythonWheel.Install(venv);
        var site = CliProcess.RunProgram(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").Output.Trim();
        var installed = Directory.GetFileSystemEntries(site).Select(System.IO.Path.GetFileName).ToHashSet();
        Assert.Contains("video2tfrecord_net", installed);
        Assert.True(File.Exists(System.IO.Path.Combine(venv, "bin", "video2tfrecord")));
        // Importing writes __pycache__ folders, which the uninstall must remove too.
        Assert.Equal(0, CliProcess.RunProgram(python, "-c", "import video2tfrecord_net, video2tfrecord_net.torch, video2tfrecord_net.tf").ExitCode);

        var uninstall = CliProcess.RunProgram(python, "-m", "pip", "uninstall", "--yes", "--quiet", "video2tfrecord-net");

        Assert.True(uninstall.ExitCode == 0, uninstall.Error);
        Assert.DoesNotContain(Directory.GetFileSystemEntries(venv, "*", SearchOption.AllDirectories),
            e => e.Contains("video2tfrecord", StringComparison.OrdinalIgnoreCase));
    }
}
