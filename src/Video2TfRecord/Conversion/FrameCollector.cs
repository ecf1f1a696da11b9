using System.Globalization;
using OpenCvSharp;
using Video2TfRecord.Flow;
using Video2TfRecord.Frames;
using Video2TfRecord.Records;
using Video2TfRecord.Video;

namespace Video2TfRecord.Conversion;

/// <summary>
/// Collects one video's stored frames while it decodes, in ascending source order: transforms and encodes each, and
/// computes and encodes its flow when asked. Memory stays bounded: at most one frame waits for its successor.
/// Buffers are kept from video to video: one per worker, not thread-safe.
/// </summary>
internal sealed class FrameCollector : IDisposable
{
    private const int MinimumFlowSide = 8;

    private readonly FlowOptions _options;
    private readonly bool _flowAsColor;
    private readonly FrameTransformer _transformer;
    private readonly ImageEncoder _encoder;
    private readonly IOpticalFlow? _flow;
    private readonly ImageEncoder? _flowEncoder;
    private readonly FlowQuantizer? _quantizer;
    private readonly Mat _field = new();
    private readonly Mat _storedField = new();
    private Mat _scratch = new();
    private readonly Mat _zeroField = new();
    private readonly Mat _planeX = new();
    private readonly Mat _planeY = new();
    private readonly Mat _color = new();
    private readonly Mat _seed = new();
    private readonly Mat _withSeed = new();
    private readonly Mat _pendingFrame = new();
    private Mat _gray = new();
    private Mat _previousGray = new();

    // This video's plan and results, by distinct stored index d.
    private int[] _distinct = [];
    private bool[] _repeated = [];
    private int _totalFrames;
    private int _found;
    private int _pending = -1;
    private string _path = "";
    private Size _storedSize;
    private Entry[] _first = [];
    private Entry[] _repeat = [];
    private long[] _timestamps = [];

    public FrameCollector(FlowOptions flow, RecordLayout layout, ImageOptions images, FrameTransformer transformer, ImageEncoder encoder)
    {
        _options = flow;
        _flowAsColor = layout == RecordLayout.Sequence;
        _transformer = transformer;
        _encoder = encoder;
        if (flow.Enabled)
        {
            _flow = OpticalFlow.Create(flow.Method, flow.Preset);
            _flowEncoder = new ImageEncoder(flow.Encoding, images.JpegQuality, fullChroma: true);
            _quantizer = new FlowQuantizer(flow.Bound, images.PixelType);
        }
    }

    /// <summary>Channels of the stored frames: one more than the transform's with flow as the last channel.</summary>
    public int Channels => _transformer.Channels + (IsSeed ? 1 : 0);

    private bool IsSeed => _flow is not null && _options.Format == FlowFormat.Seed;

    private bool NextPairs => _flow is not null && _options.Pairs == FlowPairs.Next;

    /// <summary>Starts a video whose stored entries are <paramref name="indices"/> (ascending, repeats allowed).</summary>
    /// <returns>The source frames to decode, ascending: the distinct stored ones, and their successors for next pairs.</returns>
    public int[] Start(string path, IReadOnlyList<int> indices, int totalFrames)
    {
        _path = path;
        var distinct = new List<int>(indices.Count);
        var repeated = new List<bool>(indices.Count);
        foreach (var index in indices)
        {
            if (distinct.Count > 0 && distinct[^1] == index)
            {
                repeated[^1] = true;
            }
            else
            {
                distinct.Add(index);
                repeated.Add(false);
            }
        }

        (_distinct, _repeated, _totalFrames, _found, _pending) = (distinct.ToArray(), repeated.ToArray(), totalFrames, 0, -1);
        _first = new Entry[_distinct.Length];
        _repeat = new Entry[_distinct.Length];
        _timestamps = new long[_distinct.Length];
        if (!NextPairs)
        {
            return _distinct;
        }

        var wanted = new SortedSet<int>(_distinct);
        foreach (var index in _distinct)
        {
            if (index + 1 < totalFrames)
            {
                wanted.Add(index + 1);
            }
        }

        return [.. wanted];
    }

    /// <summary>Takes decoded source frame <paramref name="index"/> (one of <see cref="Start"/>'s, in order).</summary>
    /// <returns>The stored frame's size, or null when the frame is only a flow successor.</returns>
    public Size? Accept(int index, long timestampUs, Mat bgr)
    {
        var stored = _found < _distinct.Length && _distinct[_found] == index;
        Mat? frame = null;
        if (stored)
        {
            frame = _transformer.Apply(bgr, _flow is null ? null : _gray);
            _storedSize = frame.Size();
        }
        else
        {
            _transformer.ApplyGray(bgr, _gray);
        }

        if (_flow is not null && _options.Size is { } flowSize && _gray.Size() != new Size(flowSize.Width, flowSize.Height))
        {
            // Shrinking averages (INTER_AREA); enlarging interpolates.
            var shrinking = flowSize.Width <= _gray.Width && flowSize.Height <= _gray.Height;
            Cv2.Resize(_gray, _scratch, new Size(flowSize.Width, flowSize.Height), 0, 0, shrinking ? InterpolationFlags.Area : InterpolationFlags.Linear);
            (_gray, _scratch) = (_scratch, _gray);
        }

        if (_pending >= 0 && index == _distinct[_pending] + 1)
        {
            Finish(_pending, ComputeField(), IsSeed ? _pendingFrame : null);
            _pending = -1;
        }

        if (!stored)
        {
            return null;
        }

        var d = _found++;
        _timestamps[d] = timestampUs;
        if (_flow is null)
        {
            _first[d] = _repeat[d] = new Entry(_encoder.Encode(frame!), default, default);
        }
        else if (!NextPairs)
        {
            if (d == 0)
            {
                Finish(d, Zero(frame!.Size()), frame);
            }
            else
            {
                Finish(d, ComputeField(), frame);
            }

            (_previousGray, _gray) = (_gray, _previousGray);
        }
        else if (index + 1 >= _totalFrames)
        {
            Finish(d, Zero(frame!.Size()), frame);
        }
        else
        {
            // Flow waits for the next source frame; so does the frame itself when flow is its last channel.
            _pending = d;
            (_previousGray, _gray) = (_gray, _previousGray);
            if (IsSeed)
            {
                frame!.CopyTo(_pendingFrame);
            }
            else
            {
                _first[d] = _repeat[d] = new Entry(_encoder.Encode(frame!), default, default);
            }
        }

        return frame!.Size();
    }

    /// <summary>Ends the video: a frame still waiting had no successor (it was the last) and gets zero flow.</summary>
    /// <returns>Whether every stored frame was decoded.</returns>
    public bool Complete()
    {
        if (_pending >= 0)
        {
            Finish(_pending, Zero(_storedSize), IsSeed ? _pendingFrame : null);
            _pending = -1;
        }

        return _found == _distinct.Length;
    }

    /// <summary>The stored entries of <paramref name="indices"/> (as given to <see cref="Start"/>), repeats expanded.</summary>
    public (ReadOnlyMemory<byte>[] Images, long[] TimestampsUs, FlowImages? Flow) Entries(IReadOnlyList<int> indices)
    {
        var images = new ReadOnlyMemory<byte>[indices.Count];
        var timestamps = new long[indices.Count];
        var a = new ReadOnlyMemory<byte>[indices.Count];
        var b = new ReadOnlyMemory<byte>[indices.Count];
        for (int i = 0, d = -1; i < indices.Count; i++)
        {
            var first = i == 0 || indices[i] != indices[i - 1];
            d += first ? 1 : 0;
            var entry = first ? _first[d] : _repeat[d];
            (images[i], a[i], b[i], timestamps[i]) = (entry.Image, entry.FlowA, entry.FlowB, _timestamps[d]);
        }

        if (_flow is null)
        {
            return (images, timestamps, null);
        }

        var sequence = _flowAsColor;
        var xy = _options.Format == FlowFormat.Xy;
        var flow = new FlowImages
        {
            Method = _flow.Name,
            Pairs = _options.Pairs,
            Format = _options.Format,
            Bound = _options.Bound,
            Encoding = _flowEncoder!.Encoding,
            X = xy && !sequence ? a : [],
            Y = xy && !sequence ? b : [],
            Xy = xy && sequence ? a : [],
        };
        return (images, timestamps, flow);
    }

    public void Dispose()
    {
        _flow?.Dispose();
        _flowEncoder?.Dispose();
        _quantizer?.Dispose();
        foreach (var mat in new[] { _field, _storedField, _scratch, _zeroField, _planeX, _planeY, _color, _seed, _withSeed, _pendingFrame, _gray, _previousGray })
        {
            mat.Dispose();
        }
    }

    // Flow from the previous gray frame to the current one, at the stored size: computed at --flow-size when given,
    // then resized back with its vectors scaled by the size ratio.
    private Mat ComputeField()
    {
        // Say what is wrong with the video in our words before a method refuses the pair.
        if (_gray.Size() != _previousGray.Size())
        {
            throw new VideoReadException(_path, string.Create(CultureInfo.InvariantCulture,
                $"the frame size changes mid-stream ({_previousGray.Width}x{_previousGray.Height} to {_gray.Width}x{_gray.Height}); give --size to store one size"));
        }

        if (_gray.Width < MinimumFlowSide || _gray.Height < MinimumFlowSide)
        {
            throw new VideoReadException(_path, string.Create(CultureInfo.InvariantCulture,
                $"frames of {_gray.Width}x{_gray.Height} are too small for optical flow (at least {MinimumFlowSide}x{MinimumFlowSide}): give --size or --flow-size"));
        }

        _flow!.Compute(_previousGray, _gray, _field);
        if (_field.Size() == _storedSize)
        {
            return _field;
        }

        Cv2.Resize(_field, _storedField, _storedSize, 0, 0, InterpolationFlags.Linear);
        Cv2.Multiply(_storedField, new Scalar((double)_storedSize.Width / _field.Width, (double)_storedSize.Height / _field.Height), _storedField);
        return _storedField;
    }

    private Mat Zero(Size size)
    {
        if (_zeroField.Size() != size)
        {
            _zeroField.Create(size, MatType.CV_32FC2);
        }

        _zeroField.SetTo(Scalar.All(0));
        return _zeroField;
    }

    // Encodes distinct frame d's entry with flow field; its repeats are the same pair (next) or no motion (stored).
    private void Finish(int d, Mat field, Mat? frame)
    {
        var image = frame is null || IsSeed ? _first[d].Image : _encoder.Encode(frame);
        _first[d] = Encode(field, frame, image);
        _repeat[d] = _repeated[d] && _options.Pairs == FlowPairs.Stored ? Encode(Zero(field.Size()), frame, image) : _first[d];
    }

    private Entry Encode(Mat field, Mat? frame, ReadOnlyMemory<byte> image)
    {
        if (IsSeed)
        {
            _quantizer!.ToSeedChannel(field, _seed);
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

            return new Entry(_encoder.Encode(_withSeed), default, default);
        }

        if (_flowAsColor)
        {
            _quantizer!.ToColor(field, _color, _planeX, _planeY);
            return new Entry(image, _flowEncoder!.Encode(_color), default);
        }

        _quantizer!.ToPlanes(field, _planeX, _planeY);
        return new Entry(image, _flowEncoder!.Encode(_planeX), _flowEncoder.Encode(_planeY));
    }

    private readonly record struct Entry(ReadOnlyMemory<byte> Image, ReadOnlyMemory<byte> FlowA, ReadOnlyMemory<byte> FlowB);
}
