using Video2TfRecord.Conversion;
using Video2TfRecord.Conversion.Annotations;
using Video2TfRecord.Conversion.Inputs;
using Video2TfRecord.Conversion.Output;
using Video2TfRecord.Flow;
using Video2TfRecord.Frames;
using Video2TfRecord.Records;
using Video2TfRecord.Sampling;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Library;

/// <summary>The library as a caller uses it: options built in code, <see cref="VideoConverter"/> called, records read back.</summary>
public class VideoConverterApiTests
{
    [Fact]
    public async Task Library_call_converts_the_examples_and_reports_progress_in_order()
    {
        using var temp = new TempDirectory();
        var reports = new List<ConversionProgress>();
        var options = Options(temp.Combine("out")) with
        {
            Labels = new LabelOptions { File = Repository.Combine("examples", "labels.csv") },
        };

        var result = await VideoConverter.ConvertAsync(options, new SynchronousProgress(reports.Add));

        Assert.True(result.Complete);
        Assert.Equal(3, result.VideosWritten);
        var records = RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord"));
        Assert.Equal(["videos/walking/counter-40f-mpeg4", "videos/walking/counter-48f-h264", "videos/waving/counter-36f-vp9"], records.Select(r => r.Id));
        Assert.Equal([4, 4, 4], records.Select(r => r.Images().Count));
        Assert.Equal((32L, 48L), (records[0].Height!.Value, records[0].Width!.Value));
        // 40 frames, centered 4: floor((2i+1)·40/8) = 5, 15, 25, 35.
        Assert.Equal([5L, 15L, 25L, 35L], records[0].FrameIndices);
        Assert.Equal(["walking", "walking", "waving"], records.Select(r => r.LabelText));
        Assert.Equal(3, reports[^1].VideosDone);
        Assert.Equal(reports.Select(r => r.VideosDone).Order(), reports.Select(r => r.VideosDone));
    }

    [Fact]
    public async Task Library_applies_the_command_line_defaults_itself()
    {
        // --fps alone samples every target, and --short-side alone resizes by the short side: in the library too.
        var sampling = SamplingOptions.Create(fps: 5m);
        var resize = FrameResize.Create(null, null, shortSide: 16);
        using var temp = new TempDirectory();

        var result = await VideoConverter.ConvertAsync(Options(temp.Combine("out")) with
        {
            Sampling = sampling,
            Images = new ImageOptions { Resize = resize },
        });

        Assert.Equal((FrameCount.All, SamplingMode.Fps, ResizeMode.ShortSide), (sampling.Frames, sampling.Mode, resize.Mode));
        Assert.True(result.Complete);
        var records = RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord"));
        Assert.All(records, record => Assert.Equal(16L, Math.Min(record.Height!.Value, record.Width!.Value)));
        // The examples are 25 fps: 5 fps takes every 5th frame, 0.2 s apart, up to the last frame's time (40 frames end
        // at 1.56 s, 48 at 1.88 s, 36 at 1.40 s), and stores each one.
        Assert.Equal(["videos/walking/counter-40f-mpeg4", "videos/walking/counter-48f-h264", "videos/waving/counter-36f-vp9"], records.Select(r => r.Id));
        foreach (var (record, frames) in records.Zip([40, 48, 36]))
        {
            var expected = Enumerable.Range(0, ((frames - 1) / 5) + 1).Select(k => 5L * k).ToArray();
            Assert.Equal(expected, record.FrameIndices);
            Assert.Equal(expected.Select(i => i * 40_000L), record.TimestampsUs);
            Assert.Equal(expected.Length, record.Images().Count);
        }
    }

    [Fact]
    public async Task Library_error_names_the_option_at_fault()
    {
        using var temp = new TempDirectory();
        var options = Options(temp.Combine("out")) with
        {
            Output = new OutputOptions { Directory = temp.Combine("out"), Layout = RecordLayout.Sequence },
            Images = new ImageOptions { Encoding = ImageEncoding.Raw },
        };

        var error = await Assert.ThrowsAsync<OptionException>(() => VideoConverter.ConvertAsync(options));

        Assert.Equal("encoding", error.Option);
        Assert.Contains("--encoding raw cannot be used with --layout sequence", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("out")));
    }

    [Fact]
    public void Flow_setting_without_a_method_is_refused_in_the_library_too()
    {
        var options = Options("out") with { Flow = new FlowOptions { Pairs = FlowPairs.Stored } };

        var error = Assert.Throws<OptionException>(options.Validate);

        Assert.Equal("flow-pairs", error.Option);
        Assert.Equal("--flow-pairs shapes optical flow: give --flow farneback|tvl1|dis too", error.Message);
    }

    [Fact]
    public async Task Cancelled_library_call_leaves_no_partial_file()
    {
        using var temp = new TempDirectory();
        using var cancel = new CancellationTokenSource();
        var options = Options(temp.Combine("out")) with { Flow = new FlowOptions { Method = FlowMethod.Tvl1 }, Jobs = 1 };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            VideoConverter.ConvertAsync(options, new SynchronousProgress(_ => cancel.Cancel()), cancel.Token));

        // The partial video log stays for --resume; no record file looks finished or half-written.
        Assert.Empty(Directory.EnumerateFiles(temp.Combine("out"), "*.tfrecord.partial"));
        Assert.Empty(Directory.EnumerateFiles(temp.Combine("out"), "*.tfrecord"));
    }

    [Fact]
    public async Task Library_cuts_clips_and_plans_them_per_split()
    {
        using var temp = new TempDirectory();
        var options = Options(temp.Combine("out")) with { Clips = new ClipOptions { File = Repository.Combine("examples", "clips.csv") } };

        var plan = await VideoConverter.PlanAsync(options);
        var result = await VideoConverter.ConvertAsync(options);

        Assert.Equal(["videos-train-00000-of-00001.tfrecord", "videos-val-00000-of-00001.tfrecord"], plan.Files.Select(f => f.Name));
        Assert.Equal(["videos/walking/counter-48f-h264_000960_end"], plan.Files[1].Videos.Select(v => v.Video.Id));
        Assert.Equal(4, result.VideosWritten);
        var val = RecordFiles.ReadAll(temp.Combine("out", "videos-val-00000-of-00001.tfrecord")).Single();
        Assert.Equal(new RecordClip("videos/walking/counter-48f-h264", 960_000L, 1_920_000L), val.Clip);
        Assert.Equal("the second half", val.Caption);
        // 48 frames at 25 fps; [0.96 s, end) is frames 24..47, centered 4 of 24.
        Assert.Equal([27L, 33L, 39L, 45L], val.FrameIndices);
    }

    private static ConversionOptions Options(string output) => new()
    {
        Inputs = new InputOptions { Paths = [Repository.Combine("examples")] },
        Output = new OutputOptions { Directory = output },
        Sampling = SamplingOptions.Create(FrameCount.Of(4)),
        Images = new ImageOptions { Resize = new FrameResize(ResizeMode.Stretch, new FrameSize(48, 32)) },
    };

    // Progress<T> posts to the thread pool; the converter's contract is synchronous reports on its writing thread.
    private sealed class SynchronousProgress(Action<ConversionProgress> report) : IProgress<ConversionProgress>
    {
        public void Report(ConversionProgress value) => report(value);
    }
}
