using System.Diagnostics;
using System.Globalization;
using OpenCvSharp;
using Video2TfRecord.Frames;
using Video2TfRecord.Video;

namespace Video2TfRecord.Tests.Fixtures;

/// <summary>What one backend made of a video: its count, the summary of a decode and copies of the frames handed out.</summary>
internal sealed class DecodedFrames : IDisposable
{
    private DecodedFrames(VideoInfo info, DecodeSummary summary, List<(int Index, long Us, Mat Frame)> frames)
    {
        (Info, Summary, Frames) = (info, summary, frames);
    }

    public VideoInfo Info { get; }

    public DecodeSummary Summary { get; }

    public IReadOnlyList<(int Index, long Us, Mat Frame)> Frames { get; }

    public IEnumerable<int> Indices => Frames.Select(f => f.Index);

    public IEnumerable<int> Patterns => Frames.Select(f => PatternFrames.ReadIndex(f.Frame));

    /// <summary>Opens <paramref name="path"/> with <paramref name="decoder"/> and decodes <paramref name="wanted"/> once.</summary>
    public static DecodedFrames Of(IVideoDecoder decoder, string path, int[] wanted, FrameResize? resize = null, PixelType pixelType = PixelType.UInt8)
    {
        using var video = decoder.Open(path, new ImageOptions { Resize = resize ?? FrameResize.None, PixelType = pixelType });
        var frames = new List<(int, long, Mat)>();
        var summary = video.Decode(wanted, (index, us, frame) => frames.Add((index, us, frame.Clone())));
        return new DecodedFrames(video.Info, summary, frames);
    }

    /// <summary>The backends this machine has, for theories: both where the system FFmpeg loads.</summary>
    public static IVideoDecoder Decoder(DecoderBackend backend) => backend == DecoderBackend.OpenCV ? OpenCvDecoder.Instance : new FFmpegDecoder(1);

    /// <summary>Frames of the video stream as ffprobe counts them when decoding (edit lists applied).</summary>
    public static int FfprobeFrameCount(string path)
    {
        var start = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        // MPEG-TS prints its programs' empty lines too: the stream's count is the first line.
        return int.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0].Trim().TrimEnd(','), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The first shown frame's presentation time in the container's seconds, as ffprobe decodes it (its best-effort
    /// timestamp: the pts where there is one; ffprobe 4 names the pts field pkt_pts_time, 5 and later pts_time).
    /// </summary>
    public static double FfprobeFirstFrameSeconds(string path)
    {
        var start = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-v", "error", "-select_streams", "v:0", "-show_entries", "frame=best_effort_timestamp_time", "-read_intervals", "%+#1", "-of", "csv=p=0", path })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return double.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0].Trim().TrimEnd(','), CultureInfo.InvariantCulture);
    }

    /// <summary>PSNR in dB between two images of one size and type (infinity when equal).</summary>
    public static double Psnr(Mat a, Mat b) => Cv2.PSNR(a, b);

    public void Dispose()
    {
        foreach (var (_, _, frame) in Frames)
        {
            frame.Dispose();
        }
    }
}
