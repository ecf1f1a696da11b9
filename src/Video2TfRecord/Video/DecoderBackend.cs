namespace Video2TfRecord.Video;

/// <summary>Which library decodes the videos (<c>--decoder</c>).</summary>
public enum DecoderBackend
{
    /// <summary>The system's FFmpeg libraries where they load, else OpenCV's (with a notice).</summary>
    Auto,

    /// <summary>The system's FFmpeg libraries (FFmpeg 4 to 9), bound here: SIMD decoding, seeking, only the frames needed.</summary>
    FFmpeg,

    /// <summary>The FFmpeg built into OpenCvSharp's runtime: portable, but built without SIMD and without AV1.</summary>
    OpenCV,
}
