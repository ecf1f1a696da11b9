namespace Video2TfRecord.Audio;

/// <summary>The audio of one record: float32 samples in [−1, 1], interleaved when there is more than one channel.</summary>
/// <param name="Samples">Every sample, frame after frame (channel after channel within a frame).</param>
/// <param name="SampleRate">Sample frames per second.</param>
/// <param name="Channels">Channels per sample frame.</param>
/// <param name="StartUs">The time of the first sample on the video's clock (µs from its first frame), the same clock as the frames'.</param>
public sealed record AudioTrack(float[] Samples, int SampleRate, int Channels, long StartUs)
{
    /// <summary>Sample frames (samples per channel).</summary>
    public int Frames => Samples.Length / Channels;

    /// <summary>The duration the samples cover, µs.</summary>
    public long DurationUs => (long)Math.Round(Frames * 1e6 / SampleRate);
}
