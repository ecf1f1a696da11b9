using BenchmarkDotNet.Attributes;
using OpenCvSharp;
using Video2TfRecord.Frames;

namespace Video2TfRecord.Benchmarks;

/// <summary>Per-frame cost of the transform and encode steps on a 640×360 source resized to 224×224.</summary>
[MemoryDiagnoser]
public class FrameBenchmarks
{
    private Mat _source = new();
    private FrameTransformer _transformer = null!;
    private ImageEncoder _encoder = null!;

    [Params(ImageEncoding.Jpeg, ImageEncoding.Png, ImageEncoding.Raw)]
    public ImageEncoding Encoding { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _source = new Mat(360, 640, MatType.CV_8UC3);
        Cv2.Randu(_source, Scalar.All(0), Scalar.All(255));
        Cv2.GaussianBlur(_source, _source, new Size(0, 0), 3);
        _transformer = new FrameTransformer(new FrameResize(ResizeMode.Stretch, new FrameSize(224, 224)), ColorMode.Rgb, PixelType.UInt8);
        _encoder = new ImageEncoder(Encoding);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _source.Dispose();
        _transformer.Dispose();
        _encoder.Dispose();
    }

    [Benchmark]
    public int TransformAndEncode() => _encoder.Encode(_transformer.Apply(_source)).Length;
}
