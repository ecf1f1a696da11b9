using System.CommandLine;
using System.Globalization;
using Video2TfRecord.Audio;
using Video2TfRecord.Conversion;
using Video2TfRecord.Flow;
using Video2TfRecord.Frames;
using Video2TfRecord.Records;
using Video2TfRecord.Sampling;
using Video2TfRecord.Storage;
using Video2TfRecord.TfRecords;
using Video2TfRecord.Video;

namespace Video2TfRecord.Cli;

/// <summary><c>video2tfrecord convert</c>: options in, <see cref="VideoConverter"/> called, summary out.</summary>
internal static class ConvertCommand
{
    public static Command Create(TextWriter output, TextWriter error, bool errorIsTerminal)
    {
        var (command, build, dryRun, quiet) = Define();
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var options = build(parsed);
            if (parsed.GetValue(dryRun))
            {
                await WritePlanAsync(output, options, await VideoConverter.PlanAsync(options, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var live = !parsed.GetValue(quiet) && errorIsTerminal;
            ConversionResult result;
            try
            {
                result = live
                    ? await LiveProgress.RunAsync(error, progress => VideoConverter.ConvertAsync(options, progress, cancellationToken)).ConfigureAwait(false)
                    : await VideoConverter.ConvertAsync(options, new PlainProgress(error, parsed.GetValue(quiet)), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync(InterruptionNote(options.Output)).ConfigureAwait(false);
                throw new InterruptionReportedException("interrupted", e);
            }

            await WriteSummaryAsync(output, options, result).ConfigureAwait(false);
            return result.Complete ? ExitCodes.Success : ExitCodes.SomeVideosNotWritten;
        });
        return command;
    }

    /// <summary>The long names (without dashes) of every option <c>convert</c> has.</summary>
    public static IReadOnlyList<string> OptionNames { get; } = Define().Command.Options.Select(o => o.Name.TrimStart('-')).ToList();

    /// <summary>
    /// The options of <c>convert ARGS</c>, as the command line would run them, without running anything: what the web
    /// service uses, so that a job's fields mean what the same options mean on the command line.
    /// </summary>
    /// <param name="args">The arguments after <c>convert</c>.</param>
    /// <exception cref="UsageException">The arguments do not parse; the message is the command line's.</exception>
    /// <exception cref="OptionException">A value or combination is refused, as the command line says it.</exception>
    public static ConversionOptions ParseOptions(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var (command, build, _, _) = Define();
        // No @file expansion: arguments that come from a web form must not read files of the server.
        var parsed = command.Parse([.. args], new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0)
        {
            throw new UsageException(ParseErrorText.Of(parsed.Errors[0].Message));
        }

        var options = build(parsed);
        options.Validate();
        return options;
    }

    // Every option of convert, and how a parse becomes ConversionOptions (shared by the command and ParseOptions).
    private static (Command Command, Func<ParseResult, ConversionOptions> Build, Option<bool> DryRun, Option<bool> Quiet) Define()
    {
        var inputs = new Argument<string[]>("INPUT") { Description = "Video files and folders (walked recursively)", Arity = ArgumentArity.ZeroOrMore };
        var inputList = new Option<string?>("--input-list") { Description = "Also convert the paths in this file, one per line ('-': standard input; blank and # lines skipped; a line starting with \\ is the rest of the line exactly)" };
        var shuffle = new Option<ulong?>("--shuffle") { Description = "Shuffle the videos with this seed before sharding, so class-sorted trees mix in every file" };
        var split = new Option<string>("--split") { Description = "With --layout tfds: the split the files belong to", DefaultValueFactory = _ => TfdsLayout.DefaultSplit };
        var workerIndex = new Option<string?>("--worker-index") { Description = "Convert only the shards s with s mod K = I of a run split over K processes (I from 0, or auto: Kubernetes JOB_COMPLETION_INDEX or a Slurm array); merge-manifests joins their manifests" };
        var workerCount = new Option<int?>("--worker-count") { Description = "K, the number of worker processes (see --worker-index)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the videos and the files they would go to, write nothing" };
        var outputDir = new Option<string>("--output", "-o") { Description = "Folder for the record files (created if missing)", Required = true };
        var pattern = new Option<string[]>("--pattern") { Description = "File-name glob (* and ?) that replaces the default video extensions; repeatable", AllowMultipleArgumentsPerToken = false };
        var prefix = new Option<string>("--prefix") { Description = "Output file name prefix", DefaultValueFactory = _ => OutputOptions.DefaultPrefix };
        var videosPerFile = new Option<int>("--videos-per-file") { Description = "Records per output file", DefaultValueFactory = _ => OutputOptions.DefaultVideosPerFile };
        var frames = new Option<FrameCount>("--frames")
        {
            Description = "Frames kept per video: a number, or 'all'",
            DefaultValueFactory = _ => FrameCount.Of(SamplingOptions.DefaultFrames),
            CustomParser = result => ParseOrError(result, FrameCount.Parse),
        };
        var sampling = ChoiceOption.Create("--sampling", "How kept frames are spaced", SamplingMode.Centered);
        var fps = new Option<decimal?>("--fps") { Description = "Sample at a fixed rate by presentation time (selects --sampling fps); without --frames every target is kept" };
        var shortVideo = ChoiceOption.Create("--short-video", "Videos with fewer frames than --frames", ShortVideoPolicy.Pad);
        var size = new Option<FrameSize?>("--size")
        {
            Description = "Stored frame size WxH, e.g. 128x128 (default: the source size)",
            CustomParser = result => ParseOrError(result, FrameSize.Parse),
        };
        var resize = ChoiceOption.Create("--resize", "How frames reach the size: stretch to WxH, fit inside (black pad), fill (center crop), or short-side S", ResizeMode.Stretch);
        var shortSide = new Option<int?>("--short-side") { Description = "With --resize short-side: the short side in pixels, aspect kept (implies --resize short-side)" };
        var color = ChoiceOption.Create("--color", "Stored channels", ColorMode.Rgb);
        var dtype = ChoiceOption.Create("--dtype", "Stored sample type", PixelType.UInt8);
        var encoding = ChoiceOption.Create("--encoding", "Image encoding (auto: jpeg for uint8, png for uint16)", ImageEncoding.Auto);
        var jpegQuality = new Option<int>("--jpeg-quality") { Description = "JPEG quality 1..100", DefaultValueFactory = _ => ImageOptions.DefaultJpegQuality };
        var layout = ChoiceOption.Create("--layout", "Record layout", RecordLayout.Example);
        var compression = ChoiceOption.Create("--compression", "Output compression", TfRecordCompression.None);
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace a previous run's files in the output folder (only this tool's files are deleted)" };
        var labels = new Option<string?>("--labels") { Description = "CSV with a header row giving each video its label (video column: path, video, file, filename, video_id or id; label column: label)" };
        var labelVideoColumn = new Option<string?>("--label-video-column") { Description = "The CSV column naming the videos, if not a recognized name" };
        var labelColumn = new Option<string?>("--label-column") { Description = "The CSV column holding the labels, if not 'label'" };
        var labelsFromFolder = new Option<bool>("--labels-from-folder") { Description = "Take each video's parent folder name as its label (UCF101/Kinetics trees)" };
        var missingLabel = ChoiceOption.Create("--missing-label", "Videos without a label: skip them (listed, exit 3), refuse to start, or keep them unlabeled", MissingLabelPolicy.Skip);
        var resume = new Option<bool>("--resume") { Description = "Continue a run in the output folder: keep its finished files, redo the rest (same options and videos required)" };
        var jobs = new Option<int?>("--jobs", "-j") { Description = "Videos converted at once (default: the number of cores); the output is the same for any value" };
        var maxRecordBytes = new Option<long>("--max-record-bytes") { Description = "Skip a video whose record would be larger (default 1 GiB, at most 2147483647: protobuf's limit)", DefaultValueFactory = _ => OutputOptions.DefaultMaxRecordBytes };
        var flow = ChoiceOption.Create("--flow", "Optical flow: farneback (OpenCV, the original's), tvl1 (accurate, the action-recognition standard), dis (fast)", FlowMethod.None);
        var flowPreset = ChoiceOption.Create("--flow-preset", "Flow parameters: default, or seed (the original tool's Farneback parameters)", FlowPreset.Default);
        var flowPairs = ChoiceOption.Create("--flow-pairs", "Flow of each stored frame to the source frame after it (next), or from the previous stored frame (stored, the original's)", FlowPairs.Next);
        var flowFormat = ChoiceOption.Create("--flow-format", "Flow as dx, dy images clipped to ±bound (xy), or the original's gray 4th channel (seed)", FlowFormat.Xy);
        var flowBound = new Option<double>("--flow-bound") { Description = "xy: clip flow to ±this many pixels per frame before mapping to the sample range", DefaultValueFactory = _ => FlowOptions.DefaultBound };
        var flowSize = new Option<FrameSize?>("--flow-size")
        {
            Description = "Compute flow on frames resized to WxH (faster when smaller), then resize it to the stored size, scaling the vectors",
            CustomParser = result => ParseOrError(result, text => FrameSize.Parse(text, "--flow-size")),
        };
        var flowEncoding = ChoiceOption.Create("--flow-encoding", "Encoding of flow images (auto: as the frames; JPEG flow is 4:4:4)", ImageEncoding.Auto);
        var index = new Option<bool>("--index") { Description = "Also write FILE.idx beside every record file (DALI and PyTorch tfrecord readers); uncompressed only" };
        var missingInput = ChoiceOption.Create("--missing-input", "An input (or --input-list line) that does not exist: refuse to start, or list it as failed and convert the rest (exit 3)", MissingInputPolicy.Error);
        var decoder = ChoiceOption.Create("--decoder", "Video decoder: the system's FFmpeg libraries (ffmpeg: fast, seeks, AV1), OpenCV's bundled FFmpeg (opencv: portable), or auto (ffmpeg where it loads)", DecoderBackend.Auto);
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress (warnings and skips are still printed)" };
        var clips = new Option<string?>("--clips") { Description = "CSV with one clip per row (video, start, end in seconds, end exclusive; optional label, caption, split): one record per clip" };
        var clipLength = new Option<decimal?>("--clip-length") { Description = "Cut every video into windows of this many seconds, one record each (the last partial window follows --short-video)" };
        var clipStride = new Option<decimal?>("--clip-stride") { Description = "With --clip-length: seconds from one window's start to the next's (default: the length)" };
        var splitColumn = new Option<string?>("--split-column") { Description = "The column of the --clips (or --labels) CSV naming each record's split, if not 'split'; each split is its own file set" };
        var audio = new Option<AudioMode>("--audio")
        {
            Description = "Store the first audio stream, resampled, as float32 in [-1, 1]: bare or 'optional' (videos without audio get none, with a note), or 'required' (they are skipped); FFmpeg decoder only",
            HelpName = "optional|required",
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = result => result.Tokens.Count == 0 ? AudioMode.Optional : ParseOrError(result, ParseAudioMode),
        };
        var audioRate = new Option<int>("--audio-rate") { Description = "Audio samples per second per channel", DefaultValueFactory = _ => AudioOptions.DefaultSampleRate };
        var audioChannels = new Option<int>("--audio-channels") { Description = "Audio channels (1: mono; more are interleaved)", DefaultValueFactory = _ => 1 };

        var command = new Command("convert", "Convert videos into TFRecord files: evenly spaced frames per video, one record per video.")
        {
            inputs, outputDir, inputList, pattern, shuffle, prefix, videosPerFile, frames, sampling, fps, shortVideo, size, resize, shortSide, color, dtype, encoding,
            jpegQuality, layout, compression, flow, flowPreset, flowPairs, flowFormat, flowBound, flowSize, flowEncoding, labels, labelVideoColumn, labelColumn, labelsFromFolder, missingLabel,
            clips, clipLength, clipStride, splitColumn, audio, audioRate, audioChannels,
            split, workerIndex, workerCount, overwrite, resume, jobs, maxRecordBytes, index, missingInput, decoder, dryRun, quiet,
        };
        var storage = new StorageCommandOptions();
        storage.AddTo(command);

        ConversionOptions Build(ParseResult parsed)
        {
            if (parsed.GetValue(flow) == FlowMethod.None
                && new Option[] { flowPreset, flowPairs, flowFormat, flowBound, flowSize, flowEncoding }.FirstOrDefault(o => parsed.GetResult(o) is { Implicit: false }) is { } unused)
            {
                // Also a flag given at its default value: the library sees only values that differ.
                throw FlowOptions.WithoutMethod(unused.Name.TrimStart('-'));
            }

            // Options given on the command line, or null where the library's default (and its implications) applies.
            T? Given<T>(Option<T> option) where T : struct => parsed.GetResult(option) is { Implicit: false } ? parsed.GetValue(option) : null;
            var listPath = parsed.GetValue(inputList);
            var options = new ConversionOptions
            {
                Inputs = new InputOptions
                {
                    Paths = parsed.GetValue(inputs) ?? [],
                    List = listPath is null ? null : listPath == "-" ? InputList.FromReader(Console.In) : InputList.FromFile(listPath),
                    Patterns = parsed.GetValue(pattern) ?? [],
                    ShuffleSeed = parsed.GetValue(shuffle),
                    MissingInput = parsed.GetValue(missingInput),
                },
                Output = new OutputOptions
                {
                    Directory = parsed.GetRequiredValue(outputDir),
                    Prefix = parsed.GetRequiredValue(prefix),
                    VideosPerFile = parsed.GetValue(videosPerFile),
                    Layout = parsed.GetValue(layout),
                    Compression = parsed.GetValue(compression),
                    Split = parsed.GetRequiredValue(split),
                    MaxRecordBytes = parsed.GetValue(maxRecordBytes),
                    WriteIndex = parsed.GetValue(index),
                    Overwrite = parsed.GetValue(overwrite),
                    Resume = parsed.GetValue(resume),
                    Worker = WorkerSlice.Resolve(parsed.GetValue(workerIndex), parsed.GetValue(workerCount), Environment.GetEnvironmentVariable),
                },
                Decoder = parsed.GetValue(decoder),
                Sampling = SamplingOptions.Create(Given(frames), Given(sampling), parsed.GetValue(fps), parsed.GetValue(shortVideo)),
                Images = new ImageOptions
                {
                    Resize = FrameResize.Create(Given(resize), parsed.GetValue(size), parsed.GetValue(shortSide)),
                    Color = parsed.GetValue(color),
                    PixelType = parsed.GetValue(dtype),
                    Encoding = parsed.GetValue(encoding),
                    JpegQuality = parsed.GetValue(jpegQuality),
                },
                Flow = new FlowOptions
                {
                    Method = parsed.GetValue(flow),
                    Preset = parsed.GetValue(flowPreset),
                    Pairs = parsed.GetValue(flowPairs),
                    Format = parsed.GetValue(flowFormat),
                    Bound = parsed.GetValue(flowBound),
                    Size = parsed.GetValue(flowSize),
                    Encoding = parsed.GetValue(flowEncoding),
                },
                Labels = new LabelOptions
                {
                    File = parsed.GetValue(labels),
                    VideoColumn = parsed.GetValue(labelVideoColumn),
                    LabelColumn = parsed.GetValue(labelColumn),
                    FromFolder = parsed.GetValue(labelsFromFolder),
                    Missing = parsed.GetValue(missingLabel),
                },
                Clips = new ClipOptions
                {
                    File = parsed.GetValue(clips),
                    Length = parsed.GetValue(clipLength),
                    Stride = parsed.GetValue(clipStride),
                    SplitColumn = parsed.GetValue(splitColumn),
                },
                Audio = new AudioOptions
                {
                    Mode = parsed.GetValue(audio),
                    SampleRate = parsed.GetValue(audioRate),
                    Channels = parsed.GetValue(audioChannels),
                },
                Storage = storage.Build(parsed),
                Jobs = parsed.GetValue(jobs) ?? Environment.ProcessorCount,
            };
            return options;
        }

        return (command, Build, dryRun, quiet);
    }

    // What an interrupted run kept, from the manifest it last wrote (none before its first finished file).
    private static string InterruptionNote(OutputOptions output)
    {
        if (S3Location.IsS3(output.Directory))
        {
            // The staging folder is gone; what the bucket holds is what its manifest lists.
            return $"video2tfrecord: interrupted; the files finished so far are in {output.Directory} ({OutputFolder.ManifestName(output.Worker)} lists them); --resume continues the run";
        }

        RunManifest? manifest;
        try
        {
            manifest = RunManifest.Read(output.Directory, OutputFolder.ManifestName(output.Worker));
        }
        catch (InvalidDataException)
        {
            manifest = null;
        }

        return manifest is { Files.Count: > 0 } m
            ? string.Create(CultureInfo.InvariantCulture,
                $"video2tfrecord: interrupted; {m.Files.Count} of {m.Shards} files were finished and kept in {output.Directory} ({OutputFolder.ManifestName(output.Worker)} lists them); --resume continues the run")
            : $"video2tfrecord: interrupted before any file was finished; no record file was kept in {output.Directory}";
    }

    // --audio takes an optional word, so it also takes the token after it: say so when that was an input.
    private static AudioMode ParseAudioMode(string word) => word.ToLowerInvariant() switch
    {
        "optional" => AudioMode.Optional,
        "required" => AudioMode.Required,
        _ => throw new UsageException($"--audio: expected optional or required, or nothing; got '{word}' (write --audio optional, or put --audio after the inputs)"),
    };

    private static T ParseOrError<T>(System.CommandLine.Parsing.ArgumentResult result, Func<string, T> parse)
    {
        var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        try
        {
            return parse(token);
        }
        catch (Exception e) when (e is UsageException or OptionException)
        {
            result.AddError(e.Message);
            return default!;
        }
    }

    private static async Task WritePlanAsync(TextWriter output, ConversionOptions options, ConversionPlan plan)
    {
        var c = CultureInfo.InvariantCulture;
        var unit = options.Clips.Enabled ? "clips" : "videos";
        await output.WriteLineAsync(string.Create(c,
            $"plan: {plan.VideoCount} {unit} into {plan.Files.Count} files in {options.Output.Directory} ({plan.NotPlanned.Count} left out); nothing written (--dry-run)")).ConfigureAwait(false);
        foreach (var file in plan.Files)
        {
            await output.WriteLineAsync(string.Create(c, $"  {file.Name}  {file.Videos.Count} {unit}")).ConfigureAwait(false);
            foreach (var (video, label) in file.Videos)
            {
                var text = label is null ? "" : string.Create(c, $"  label {label.Index} {label.Text}");
                var clip = video.Clip is null ? "" : $"  clip {video.Id}";
                var split = video.Split is null ? "" : $"  split {video.Split}";
                await output.WriteLineAsync($"    {video.RelativePath}{clip}{split}{text}").ConfigureAwait(false);
            }
        }

        foreach (var (video, reason) in plan.NotPlanned)
        {
            await output.WriteLineAsync($"  left out: {(video.Clip is null ? video.RelativePath : video.Id)}: {reason}").ConfigureAwait(false);
        }
    }

    private static async Task WriteSummaryAsync(TextWriter output, ConversionOptions options, ConversionResult result)
    {
        var bytes = result.Files.Sum(f => f.Bytes);
        var folder = S3Location.IsS3(options.Output.Directory) ? options.Output.Directory : Path.GetFullPath(options.Output.Directory);
        var skipped = result.Failures.Count(f => f.Status == VideoStatus.Skipped);
        var seconds = Math.Max(result.Elapsed.TotalSeconds, 1e-3);
        var unit = options.Clips.Enabled ? "clips" : "videos";
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"converted {result.VideosWritten} of {result.VideosTotal} {unit} ({skipped} skipped, {result.Failures.Count - skipped} failed), {result.FramesWritten} frames, {bytes} bytes in {result.Files.Count} files, {result.Elapsed.TotalSeconds:0.0} s ({result.VideosWritten / seconds:0.0} {unit}/s, {result.FramesWritten / seconds:0} frames/s):")).ConfigureAwait(false);
        foreach (var file in result.Files)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {file.Path}  {file.Records} records  {file.Bytes} bytes")).ConfigureAwait(false);
        }

        if (result.Failures.Count > 0)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"not written ({result.Failures.Count}):")).ConfigureAwait(false);
            foreach (var failure in result.Failures)
            {
                var status = failure.Status == VideoStatus.Skipped ? "skipped" : "failed";
                await output.WriteLineAsync($"  {status} {failure.Name}: {failure.Reason}").ConfigureAwait(false);
            }
        }

        foreach (var note in result.InputNotes)
        {
            await output.WriteLineAsync($"inputs: {note}").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"output folder: {folder}").ConfigureAwait(false);
    }
}
