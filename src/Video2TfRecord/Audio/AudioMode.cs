namespace Video2TfRecord.Audio;

/// <summary>Whether records carry the videos' audio (<c>--audio</c>).</summary>
public enum AudioMode
{
    /// <summary>No audio (the default).</summary>
    Off,

    /// <summary>Audio where the video has an audio stream; a video without one is written without audio keys, with a note.</summary>
    Optional,

    /// <summary>Audio in every record; a video without an audio stream is skipped with that reason.</summary>
    Required,
}
