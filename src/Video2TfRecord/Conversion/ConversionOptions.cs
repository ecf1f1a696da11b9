using Video2TfRecord.Audio;
using Video2TfRecord.Conversion.Annotations;
using Video2TfRecord.Conversion.Inputs;
using Video2TfRecord.Conversion.Output;
using Video2TfRecord.Flow;
using Video2TfRecord.Frames;
using Video2TfRecord.Options;
using Video2TfRecord.Records;
using Video2TfRecord.Sampling;
using Video2TfRecord.Storage;
using Video2TfRecord.Video;

namespace Video2TfRecord.Conversion;

/// <summary>
/// Everything a conversion run needs to know, in parts that each validate and describe themselves; the combinations
/// between parts (what a layout refuses) are checked by <see cref="Validate"/>.
/// </summary>
public sealed record ConversionOptions
{
    /// <summary>Which videos to convert.</summary>
    public required InputOptions Inputs { get; init; }

    /// <summary>Where and how the records are written.</summary>
    public required OutputOptions Output { get; init; }

    /// <summary>Which frames of each video are kept.</summary>
    public SamplingOptions Sampling { get; init; } = new();

    /// <summary>How kept frames are stored.</summary>
    public ImageOptions Images { get; init; } = new();

    /// <summary>Optical flow, or <see cref="FlowOptions.None"/>.</summary>
    public FlowOptions Flow { get; init; } = FlowOptions.None;

    /// <summary>Labels, or <see cref="LabelOptions.None"/>.</summary>
    public LabelOptions Labels { get; init; } = LabelOptions.None;

    /// <summary>Whole videos (the default), or clips of them; and the column naming splits.</summary>
    public ClipOptions Clips { get; init; } = ClipOptions.None;

    /// <summary>The videos' audio, or <see cref="AudioOptions.None"/>.</summary>
    public AudioOptions Audio { get; init; } = AudioOptions.None;

    /// <summary>How <c>s3://</c> paths are reached and staged; none of it shapes the records.</summary>
    public StorageOptions Storage { get; init; } = new();

    /// <summary>Which library decodes the videos; <see cref="DecoderBackend.Auto"/> is resolved to the one that loads here.</summary>
    public DecoderBackend Decoder { get; init; } = DecoderBackend.Auto;

    /// <summary>The values <c>--jobs</c> takes; a run never starts more workers than it has videos to convert.</summary>
    public static NumberRange JobsRange { get; } = new(1, int.MaxValue, Whole: true);

    /// <summary>Videos converted at once; the output is the same for any value.</summary>
    public int Jobs { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// These options with every <see cref="ImageEncoding.Auto"/> made concrete: frames JPEG for 8-bit and PNG for 16-bit
    /// (PNG when flow is their 4th channel), flow images as the frames, and <see cref="DecoderBackend.Auto"/> as the backend
    /// that loads here. The pipeline works on resolved options only.
    /// </summary>
    /// <exception cref="OptionException">JPEG was asked for 16-bit samples.</exception>
    public ConversionOptions Resolve()
    {
        var images = Images.Resolve(extraChannel: Flow.IsSeedChannel);
        return this with { Images = images, Flow = Flow.Resolve(images.Encoding, images.PixelType), Decoder = VideoDecoder.Resolve(Decoder) };
    }

    /// <summary>Checks every part and the combinations between them.</summary>
    /// <exception cref="OptionException">A value or a combination is not allowed; the message says which and why.</exception>
    public void Validate()
    {
        Inputs.Validate();
        Output.Validate();
        Sampling.Validate();
        Images.Validate();
        Flow.Validate(Sampling.Frames);
        Labels.Validate();
        Clips.Validate();
        Audio.Validate();
        if (Clips.SplitColumn is not null && Clips.File is null && Labels.File is null)
        {
            throw new OptionException("split-column", "--split-column names a column of the --clips or --labels CSV: give one of them");
        }

        JobsRange.Check("jobs", Jobs);

        var resolved = Resolve();
        if (Sampling.Frames.Count is { } frames && Images.Resize.Mode != ResizeMode.ShortSide && Images.Resize.Size is { } size)
        {
            // Known from the options alone: refused before any video is opened (exit 1), not skipped one by one (exit 3).
            var each = RecordSize.LeastImageBytes(size.Width, size.Height, resolved.Images, resolved.Flow.IsSeedChannel);
            if (frames * each > Output.MaxRecordBytes)
            {
                throw new OptionException("frames", string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"--frames {frames} of {size} frames: a record would be at least {frames * each} bytes ({frames} frames, at least {each} bytes each), more than --max-record-bytes {Output.MaxRecordBytes}; store fewer or smaller frames"));
            }
        }

        RecordLayouts.For(Output.Layout).Validate(resolved.Images, resolved.Flow,
            new LayoutOutput(Output.Prefix, Output.Split, Output.Compression, SplitOverWorkers: Output.Worker is not null));
        if (Output.Layout != RecordLayout.Tfds && Output.Split != TfdsLayout.DefaultSplit)
        {
            throw new OptionException("split", "--split names a TensorFlow Datasets split: it needs --layout tfds");
        }

        if (Audio.Enabled)
        {
            if (Output.Layout == RecordLayout.Tfds)
            {
                throw new OptionException("audio", "--audio is stored in the example and sequence layouts: use --layout sequence (MediaSequence's WAVEFORM keys) or example");
            }

            if (resolved.Decoder != DecoderBackend.FFmpeg)
            {
                throw new OptionException("audio", Decoder == DecoderBackend.OpenCV
                    ? "--audio needs --decoder ffmpeg: the OpenCV decoder has no audio"
                    : "--audio needs the FFmpeg decoder, whose system libraries do not load here (run scripts/setup.sh)");
            }
        }

        if (resolved.Flow.IsSeedChannel)
        {
            if (resolved.Images.Encoding == ImageEncoding.Jpeg)
            {
                throw new OptionException("flow-format", "--flow-format seed adds flow as a 4th channel, which JPEG cannot hold: use --encoding png or raw");
            }

            if (resolved.Images.Encoding == ImageEncoding.Png && Images.Color == ColorMode.Gray)
            {
                throw new OptionException("flow-format", "--flow-format seed with --color gray makes 2-channel frames, which PNG cannot hold: use --encoding raw or --color rgb");
            }
        }
    }

    /// <summary>
    /// Every option that shapes the output bytes, by command-line name without dashes, in a stable text form, with
    /// encodings resolved. Options that do not change the output (jobs, quiet, overwrite, resume, the output folder)
    /// are left out.
    /// </summary>
    /// <param name="labelsSha256">The SHA-256 of the labels CSV as the run read it, when <see cref="LabelOptions.File"/> is set.</param>
    /// <param name="clipsSha256">The SHA-256 of the clips CSV as the run read it, when <see cref="ClipOptions.File"/> is set.</param>
    public IReadOnlyDictionary<string, string> Describe(string? labelsSha256 = null, string? clipsSha256 = null)
    {
        var resolved = Resolve();
        var described = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in resolved.Inputs.Describe().Concat(resolved.Output.Describe()).Concat(resolved.Sampling.Describe())
            .Concat(resolved.Images.Describe()).Concat(resolved.Flow.Describe()).Concat(resolved.Labels.Describe(labelsSha256))
            .Concat(resolved.Clips.Describe(clipsSha256)).Concat(resolved.Audio.Describe()))
        {
            described.Add(key, value);
        }

        // The backends' pixels differ slightly (scaling filters), so the decoder shapes the output too.
        described.Add("decoder", OptionWord.Of(resolved.Decoder));

        return described;
    }
}
