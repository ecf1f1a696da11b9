using System.Globalization;
using OpenCvSharp;
using Video2TfRecord.Flow;
using Video2TfRecord.Frames;
using Video2TfRecord.Records;
using Video2TfRecord.Video;

namespace Video2TfRecord.Conversion.Pipeline;

/// <summary>
/// The flow half of the per-video pipeline: brings gray frames to the flow size, computes flow between two of them
/// at the stored size, and quantizes and encodes it as the layout packs it (x and y planes, one xy color image, or the
/// frames' 4th channel). Buffers are kept from frame to frame: one per worker, not thread-safe.
/// </summary>
internal sealed class FlowStage : IDisposable
{
    private readonly FlowOptions _options;
    private readonly FlowPacking _packing;
    private readonly IOpticalFlow _flow;
    private readonly ImageEncoder _flowEncoder;
    private readonly FlowQuantizer _quantizer;
    private readonly Mat _field = new();
    private readonly Mat _storedField = new();
    private readonly Mat _zeroField = new();
    private readonly Mat _planeX = new();
    private readonly Mat _planeY = new();
    private readonly Mat _color = new();
    private readonly Mat _seed = new();
    private readonly Mat _withSeed = new();
    private Mat _scratch = new();

    /// <param name="options">Resolved flow options (a method, a concrete encoding).</param>
    /// <param name="packing">How the layout stores flow images.</param>
    /// <param name="images">The frames' options: JPEG quality and sample type apply to flow images too.</param>
    public FlowStage(FlowOptions options, FlowPacking packing, ImageOptions images)
    {
        _options = options;
        _packing = options.IsSeedChannel ? FlowPacking.SeedChannel : packing;
        _flow = OpticalFlow.Create(options.Method, options.Preset);
        _flowEncoder = new ImageEncoder(options.Encoding, images.JpegQuality, fullChroma: true);
        _quantizer = new FlowQuantizer(options.Bound, images.PixelType);
    }

    /// <summary>Whether flow is the frames' 4th channel, so a stored frame is encoded only with its flow.</summary>
    public bool IsSeedChannel => _packing == FlowPacking.SeedChannel;

    /// <summary>
    /// Brings <paramref name="gray"/> to the flow size when one is set (INTER_AREA shrinking, linear enlarging): the
    /// resized frame is swapped in for <paramref name="gray"/>, and the caller's buffer becomes this stage's scratch.
    /// </summary>
    public void ToFlowSize(ref Mat gray)
    {
        if (_options.Size is not { } flowSize || gray.Size() == new Size(flowSize.Width, flowSize.Height))
        {
            return;
        }

        var shrinking = flowSize.Width <= gray.Width && flowSize.Height <= gray.Height;
        Cv2.Resize(gray, _scratch, new Size(flowSize.Width, flowSize.Height), 0, 0, shrinking ? InterpolationFlags.Area : InterpolationFlags.Linear);
        (gray, _scratch) = (_scratch, gray);
    }

    /// <summary>
    /// Flow from <paramref name="previous"/> to <paramref name="next"/> (gray, at the flow size) at
    /// <paramref name="storedSize"/>: resized back with its vectors scaled by the size ratio when the sizes differ.
    /// </summary>
    /// <exception cref="VideoReadException">The frames are too small for flow.</exception>
    public Mat Compute(string path, Mat previous, Mat next, Size storedSize)
    {
        // Say what is wrong with the video in our words before a method refuses the pair.
        if (next.Width < FlowFrames.MinimumSide || next.Height < FlowFrames.MinimumSide)
        {
            throw new VideoReadException(path, string.Create(CultureInfo.InvariantCulture,
                $"frames of {next.Width}x{next.Height} are too small for optical flow (at least {FlowFrames.MinimumSide}x{FlowFrames.MinimumSide}): give --size or --flow-size"));
        }

        _flow.Compute(previous, next, _field);
        if (_field.Size() == storedSize)
        {
            return _field;
        }

        Cv2.Resize(_field, _storedField, storedSize, 0, 0, InterpolationFlags.Linear);
        Cv2.Multiply(_storedField, new Scalar((double)storedSize.Width / _field.Width, (double)storedSize.Height / _field.Height), _storedField);
        return _storedField;
    }

    /// <summary>A zero flow field of <paramref name="size"/> (no motion), owned by this stage.</summary>
    public Mat Zero(Size size)
    {
        if (_zeroField.Size() != size)
        {
            _zeroField.Create(size, MatType.CV_32FC2);
        }

        _zeroField.SetTo(Scalar.All(0));
        return _zeroField;
    }

    /// <summary>
    /// Encodes <paramref name="field"/> as the layout stores it: with the seed channel, the frame with flow as its last
    /// channel (the returned image replaces the frame's); otherwise one or two flow images beside the frame's.
    /// </summary>
    public StoredEntry Encode(Mat field, Mat? frame, ImageEncoder frameEncoder, ReadOnlyMemory<byte> image)
    {
        switch (_packing)
        {
            case FlowPacking.SeedChannel:
                _quantizer.ToSeedChannel(field, _seed);
                // The flow channel goes last: BGR + flow is BGRA to OpenCV's encoders (so files hold RGB + flow).
                if (frame!.Channels() == 3)
                {
                    Cv2.CvtColor(frame, _withSeed, ColorConversionCodes.BGR2BGRA);
                    Cv2.InsertChannel(_seed, _withSeed, 3);
                }
                else
                {
                    Cv2.Merge([frame, _seed], _withSeed);
                }

                return new StoredEntry(frameEncoder.Encode(_withSeed), default, default);
            case FlowPacking.Color:
                _quantizer.ToColor(field, _color, _planeX, _planeY);
                return new StoredEntry(image, _flowEncoder.Encode(_color), default);
            default:
                _quantizer.ToPlanes(field, _planeX, _planeY);
                return new StoredEntry(image, _flowEncoder.Encode(_planeX), _flowEncoder.Encode(_planeY));
        }
    }

    /// <summary>The record's flow part from the entries' flow images (<see cref="StoredEntry.FlowA"/>, <see cref="StoredEntry.FlowB"/>).</summary>
    public FlowImages Images(ReadOnlyMemory<byte>[] a, ReadOnlyMemory<byte>[] b) => new()
    {
        Method = _flow.Name,
        Pairs = _options.Pairs,
        Format = _options.Format,
        Bound = _options.Bound,
        Encoding = _flowEncoder.Encoding,
        X = _packing == FlowPacking.Planes ? a : [],
        Y = _packing == FlowPacking.Planes ? b : [],
        Xy = _packing == FlowPacking.Color ? a : [],
    };

    public void Dispose()
    {
        _flow.Dispose();
        _flowEncoder.Dispose();
        _quantizer.Dispose();
        foreach (var mat in new[] { _field, _storedField, _scratch, _zeroField, _planeX, _planeY, _color, _seed, _withSeed })
        {
            mat.Dispose();
        }
    }
}

/// <summary>One stored entry: its encoded image and its flow images (A: x or xy, B: y; empty without flow or where the packing has none).</summary>
internal readonly record struct StoredEntry(ReadOnlyMemory<byte> Image, ReadOnlyMemory<byte> FlowA, ReadOnlyMemory<byte> FlowB);
