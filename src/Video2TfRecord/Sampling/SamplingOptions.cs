using System.Globalization;
using Video2TfRecord.Options;

namespace Video2TfRecord.Sampling;

/// <summary>Which frames of a video are kept: how many, how they are spaced, and what happens when a video is short.</summary>
public sealed record SamplingOptions
{
    /// <summary>Frames kept per video when nothing else is asked for.</summary>
    public const int DefaultFrames = 32;

    /// <summary>
    /// The most frames one record may hold, however they are asked for (<c>--frames N</c>, <c>--frames all</c>,
    /// <c>--fps</c>): a plan with more is refused before anything is decoded (the video is skipped with the numbers).
    /// A million frames is over nine hours at 30 fps; longer videos are cut with <c>--clip-length</c>.
    /// </summary>
    public const int MaxFrames = 1_000_000;

    /// <summary>
    /// The rates <c>--fps</c> takes: from one frame every 1,000 s to one every microsecond (timestamps count µs, so a
    /// higher rate could only repeat frames).
    /// </summary>
    public static NumberRange FpsRange { get; } = new(0.001m, 1_000_000m, Whole: false, "frames per second");

    /// <summary>Frames to keep per video.</summary>
    public FrameCount Frames { get; init; } = FrameCount.Of(DefaultFrames);

    /// <summary>How kept frames are spaced.</summary>
    public SamplingMode Mode { get; init; } = SamplingMode.Centered;

    /// <summary>The rate for <see cref="SamplingMode.Fps"/>, frames per second; required by that mode and by it only.</summary>
    public decimal? Fps { get; init; }

    /// <summary>What to do with videos that have fewer frames (or fps targets) than <see cref="Frames"/>.</summary>
    public ShortVideoPolicy ShortVideo { get; init; } = ShortVideoPolicy.Pad;

    /// <summary>
    /// The options with the command line's defaults applied: a rate alone selects fps sampling of every target, so
    /// <paramref name="frames"/> defaults to all and <paramref name="mode"/> to fps when <paramref name="fps"/> is given.
    /// </summary>
    /// <param name="frames">Frames asked for, or null for the default (32, or all with a rate).</param>
    /// <param name="mode">Spacing asked for, or null for the default (centered, or fps with a rate).</param>
    /// <param name="fps">Target rate, or null.</param>
    /// <param name="shortVideo">The short-video policy.</param>
    public static SamplingOptions Create(FrameCount? frames = null, SamplingMode? mode = null, decimal? fps = null,
        ShortVideoPolicy shortVideo = ShortVideoPolicy.Pad) => new()
        {
            Frames = frames ?? (fps is null ? FrameCount.Of(DefaultFrames) : FrameCount.All),
            Mode = mode ?? (fps is null ? SamplingMode.Centered : SamplingMode.Fps),
            Fps = fps,
            ShortVideo = shortVideo,
        };

    /// <summary>Checks that the mode has the rate it needs and that a rate goes with fps sampling only.</summary>
    /// <exception cref="OptionException">The rate is missing, not positive, or given with another mode.</exception>
    public void Validate()
    {
        if (Mode == SamplingMode.Fps && Fps is null)
        {
            throw new OptionException("fps", "--sampling fps needs --fps F with F > 0, e.g. --fps 10");
        }

        if (Fps is { } rate)
        {
            FpsRange.Check("fps", rate);
            if (Mode != SamplingMode.Fps)
            {
                throw new OptionException("fps", "--fps selects fps sampling: leave --sampling out or give --sampling fps");
            }
        }

        if (Frames.Count is > MaxFrames)
        {
            throw FrameCount.Range.Refusal("frames", Frames.ToString());
        }
    }

    /// <summary>The values that shape the output, by option name, for manifest.json and <c>--resume</c>.</summary>
    public IEnumerable<KeyValuePair<string, string>> Describe()
    {
        yield return new("frames", Frames.ToString());
        yield return new("sampling", Mode == SamplingMode.Fps ? string.Create(CultureInfo.InvariantCulture, $"fps {Fps}") : OptionWord.Of(Mode));
        yield return new("short-video", OptionWord.Of(ShortVideo));
    }
}
