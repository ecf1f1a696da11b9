using System.Globalization;
using Video2TfRecord.Options;

namespace Video2TfRecord.Audio;

/// <summary>The audio a record stores: the video's first audio stream, resampled, as float32 samples in [−1, 1].</summary>
public sealed record AudioOptions
{
    /// <summary>Samples per second when nothing else is asked for.</summary>
    public const int DefaultSampleRate = 48000;

    /// <summary>The highest sample rate accepted.</summary>
    public const int MaxSampleRate = 384000;

    /// <summary>The most channels accepted.</summary>
    public const int MaxChannels = 8;

    /// <summary>The rates <c>--audio-rate</c> takes.</summary>
    public static NumberRange SampleRateRange { get; } = new(1, MaxSampleRate, Whole: true, "samples per second");

    /// <summary>The channel counts <c>--audio-channels</c> takes.</summary>
    public static NumberRange ChannelsRange { get; } = new(1, MaxChannels, Whole: true);

    /// <summary>No audio.</summary>
    public static AudioOptions None { get; } = new();

    /// <summary>Whether and how audio is stored.</summary>
    public AudioMode Mode { get; init; } = AudioMode.Off;

    /// <summary>Samples per second per channel the audio is resampled to.</summary>
    public int SampleRate { get; init; } = DefaultSampleRate;

    /// <summary>Channels the audio is mixed to (1: mono; samples are interleaved when more).</summary>
    public int Channels { get; init; } = 1;

    /// <summary>Whether records carry audio.</summary>
    public bool Enabled => Mode != AudioMode.Off;

    /// <summary>Checks the values.</summary>
    /// <exception cref="OptionException">A value is out of range.</exception>
    public void Validate()
    {
        SampleRateRange.Check("audio-rate", SampleRate);
        ChannelsRange.Check("audio-channels", Channels);
    }

    /// <summary>The values that shape the output, by option name.</summary>
    public IEnumerable<KeyValuePair<string, string>> Describe()
    {
        yield return new("audio", OptionWord.Of(Mode));
        yield return new("audio-rate", Enabled ? SampleRate.ToString(CultureInfo.InvariantCulture) : "");
        yield return new("audio-channels", Enabled ? Channels.ToString(CultureInfo.InvariantCulture) : "");
    }
}
