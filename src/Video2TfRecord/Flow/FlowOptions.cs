using System.Globalization;
using Video2TfRecord.Frames;
using Video2TfRecord.Options;

namespace Video2TfRecord.Flow;

/// <summary>Optical flow: which method, between which frames, and how it is stored.</summary>
public sealed record FlowOptions
{
    /// <summary>Default clip bound of stored flow, in pixels per frame (the TSN/I3D convention).</summary>
    public const double DefaultBound = 20;

    /// <summary>The bounds <c>--flow-bound</c> takes, in pixels per frame.</summary>
    public static NumberRange BoundRange { get; } = new(0.001m, 10_000m, Whole: false, "pixels per frame");

    /// <summary>No optical flow.</summary>
    public static FlowOptions None { get; } = new();

    /// <summary>Optical flow method, or none.</summary>
    public FlowMethod Method { get; init; } = FlowMethod.None;

    /// <summary>The method's parameter set.</summary>
    public FlowPreset Preset { get; init; } = FlowPreset.Default;

    /// <summary>Which frames flow is computed between.</summary>
    public FlowPairs Pairs { get; init; } = FlowPairs.Next;

    /// <summary>How flow is stored.</summary>
    public FlowFormat Format { get; init; } = FlowFormat.Xy;

    /// <summary>Flow components are clipped to ±this many pixels per frame before quantization.</summary>
    public double Bound { get; init; } = DefaultBound;

    /// <summary>Computes flow on frames resized to this size (then resized back and scaled); null: the stored size.</summary>
    public FrameSize? Size { get; init; }

    /// <summary>How flow images are encoded; <see cref="ImageEncoding.Auto"/> (as the frames) until <see cref="Resolve"/>.</summary>
    public ImageEncoding Encoding { get; init; } = ImageEncoding.Auto;

    /// <summary>Whether flow is computed at all.</summary>
    public bool Enabled => Method != FlowMethod.None;

    /// <summary>Whether flow is stored as a 4th channel of the frames (the original tool's format).</summary>
    public bool IsSeedChannel => Enabled && Format == FlowFormat.Seed;

    /// <summary>These options with <see cref="ImageEncoding.Auto"/> resolved to <paramref name="frameEncoding"/> (without flow: unchanged).</summary>
    /// <exception cref="OptionException">JPEG was asked for 16-bit flow.</exception>
    public FlowOptions Resolve(ImageEncoding frameEncoding, PixelType pixelType) => !Enabled
        ? this
        : this with { Encoding = Encoding == ImageEncoding.Auto ? frameEncoding : ImageEncoder.Resolve(Encoding, pixelType) };

    /// <summary>The refusal of flow option <paramref name="option"/> (long name without dashes) given without a flow method.</summary>
    public static OptionException WithoutMethod(string option) =>
        new(option, $"--{option} shapes optical flow: give --flow farneback|tvl1|dis too");

    /// <summary>Checks the values and that stored pairs have pairs to work with.</summary>
    /// <param name="frames">The frames kept per video.</param>
    /// <exception cref="OptionException">A value or a combination is not allowed.</exception>
    public void Validate(Sampling.FrameCount frames)
    {
        if (!Enabled)
        {
            // A flow setting without a method would be silently ignored: say so instead.
            if (FirstSetWithoutMethod() is { } option)
            {
                throw WithoutMethod(option);
            }

            return;
        }

        if (!double.IsFinite(Bound) || !BoundRange.Contains((decimal)Bound))
        {
            throw BoundRange.Refusal("flow-bound", Bound.ToString(CultureInfo.InvariantCulture));
        }

        if (Size is { } flowSize && (flowSize.Width < FlowFrames.MinimumSide || flowSize.Height < FlowFrames.MinimumSide))
        {
            throw new OptionException("flow-size", $"--flow-size: flow needs frames of at least 8x8, got {flowSize}");
        }

        if (Preset == FlowPreset.Seed && Method != FlowMethod.Farneback)
        {
            throw new OptionException("flow-preset",
                $"--flow-preset seed is Farneback's (the original tool's parameters): use it with --flow farneback, not --flow {OptionWord.Of(Method)}");
        }

        if (Pairs == FlowPairs.Stored && frames.Count == 1)
        {
            throw new OptionException("flow-pairs",
                "--flow-pairs stored with --frames 1 has no pair of stored frames (every entry would be zero flow): use --flow-pairs next");
        }
    }

    // The first setting that differs from its default, by option name; it means nothing without a method.
    private string? FirstSetWithoutMethod() =>
        Preset != FlowPreset.Default ? "flow-preset"
        : Pairs != FlowPairs.Next ? "flow-pairs"
        : Format != FlowFormat.Xy ? "flow-format"
        : Bound != DefaultBound ? "flow-bound"
        : Size is not null ? "flow-size"
        : Encoding != ImageEncoding.Auto ? "flow-encoding"
        : null;

    /// <summary>The values that shape the output, by option name; empty values without flow.</summary>
    public IEnumerable<KeyValuePair<string, string>> Describe()
    {
        var xy = Enabled && !IsSeedChannel;
        yield return new("flow", OptionWord.Of(Method));
        yield return new("flow-bound", xy ? Bound.ToString("R", CultureInfo.InvariantCulture) : "");
        yield return new("flow-encoding", xy ? OptionWord.Of(Encoding) : "");
        yield return new("flow-format", Enabled ? OptionWord.Of(Format) : "");
        yield return new("flow-pairs", Enabled ? OptionWord.Of(Pairs) : "");
        yield return new("flow-preset", Enabled ? OptionWord.Of(Preset) : "");
        yield return new("flow-size", Enabled ? Size?.ToString() ?? "stored" : "");
    }
}
