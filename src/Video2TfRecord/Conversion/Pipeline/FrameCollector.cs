using System.Globalization;
using OpenCvSharp;
using Video2TfRecord.Flow;
using Video2TfRecord.Frames;
using Video2TfRecord.Records;
using Video2TfRecord.Sampling;
using Video2TfRecord.Video;

namespace Video2TfRecord.Conversion.Pipeline;

/// <summary>
/// Collects one video's stored frames while it decodes, as its <see cref="FramePlan"/> says, in ascending source order:
/// the frame stage (transform, encode) for every slot, the <see cref="FlowStage"/> for its flow. Memory stays bounded:
/// at most one frame waits for its successor. Buffers are kept from video to video: one per worker, not thread-safe.
/// </summary>
internal sealed class FrameCollector : IDisposable
{
    private readonly FrameTransformer _transformer;
    private readonly ImageEncoder _encoder;
    private readonly FlowStage? _flow;
    private readonly Mat _pendingFrame = new();
    private Mat _gray = new();
    private Mat _previousGray = new();

    // This video's plan and results, by slot.
    private FramePlan _plan = null!;
    private string _path = "";
    private int _found;
    private int _pending = -1;
    private Size? _firstSize;
    private Size _storedSize;
    private StoredEntry[] _first = [];
    private StoredEntry[] _repeat = [];
    private long[] _timestamps = [];

    public FrameCollector(FlowOptions flow, FlowPacking packing, ImageOptions images, FrameTransformer transformer, ImageEncoder encoder)
    {
        _transformer = transformer;
        _encoder = encoder;
        _flow = flow.Enabled ? new FlowStage(flow, packing, images) : null;
    }

    /// <summary>Channels of the stored frames: one more than the transform's with flow as the last channel.</summary>
    public int Channels => _transformer.Channels + (IsSeed ? 1 : 0);

    private bool IsSeed => _flow is { IsSeedChannel: true };

    private bool NextPairs => _flow is not null && _plan.FlowPairs == FlowPairs.Next;

    /// <summary>Starts a video that is decoded as <paramref name="plan"/> says.</summary>
    public void Start(string path, FramePlan plan)
    {
        (_path, _plan, _found, _pending, _firstSize) = (path, plan, 0, -1, null);
        _first = new StoredEntry[plan.Slots.Count];
        _repeat = new StoredEntry[plan.Slots.Count];
        _timestamps = new long[plan.Slots.Count];
    }

    /// <summary>Takes decoded source frame <paramref name="index"/> (one of the plan's, in order).</summary>
    /// <exception cref="VideoReadException">The frame's size differs from the video's first frame's.</exception>
    public void Accept(int index, long timestampUs, Mat bgr)
    {
        var stored = _found < _plan.Slots.Count && _plan.Slots[_found] == index;
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

        CheckSize(stored ? _storedSize : _gray.Size());
        _flow?.ToFlowSize(ref _gray);
        if (_pending >= 0 && index == _plan.Slots[_pending] + 1)
        {
            Finish(_pending, _flow!.Compute(_path, _previousGray, _gray, _storedSize), IsSeed ? _pendingFrame : null);
            _pending = -1;
        }

        if (!stored)
        {
            return;
        }

        var d = _found++;
        _timestamps[d] = timestampUs;
        if (_flow is null)
        {
            _first[d] = _repeat[d] = new StoredEntry(_encoder.Encode(frame!), default, default);
        }
        else if (!NextPairs)
        {
            Finish(d, d == 0 ? _flow.Zero(frame!.Size()) : _flow.Compute(_path, _previousGray, _gray, _storedSize), frame);
            (_previousGray, _gray) = (_gray, _previousGray);
        }
        else if (index + 1 >= _plan.TotalFrames)
        {
            Finish(d, _flow.Zero(frame!.Size()), frame);
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
                _first[d] = _repeat[d] = new StoredEntry(_encoder.Encode(frame!), default, default);
            }
        }
    }

    /// <summary>Ends the video: a frame still waiting had no successor (it was the last) and gets zero flow.</summary>
    /// <returns>Whether every stored frame was decoded.</returns>
    public bool Complete()
    {
        if (_pending >= 0)
        {
            Finish(_pending, _flow!.Zero(_storedSize), IsSeed ? _pendingFrame : null);
            _pending = -1;
        }

        return _found == _plan.Slots.Count;
    }

    /// <summary>The stored frame size of this video (after <see cref="Complete"/>).</summary>
    public Size StoredSize => _storedSize;

    /// <summary>The plan's entries, repeats expanded, with their timestamps and flow.</summary>
    public (ReadOnlyMemory<byte>[] Images, long[] TimestampsUs, FlowImages? Flow) Entries()
    {
        var count = _plan.Indices.Count;
        var images = new ReadOnlyMemory<byte>[count];
        var timestamps = new long[count];
        var a = new ReadOnlyMemory<byte>[count];
        var b = new ReadOnlyMemory<byte>[count];
        for (var i = 0; i < count; i++)
        {
            var d = _plan.SlotOf(i);
            var entry = _plan.IsRepeat(i) ? _repeat[d] : _first[d];
            (images[i], a[i], b[i], timestamps[i]) = (entry.Image, entry.FlowA, entry.FlowB, _timestamps[d]);
        }

        // The record holds the images now; the collector lets go of them so they live no longer than the record.
        (_first, _repeat) = ([], []);
        return (images, timestamps, _flow?.Images(a, b));
    }

    public void Dispose()
    {
        _flow?.Dispose();
        _pendingFrame.Dispose();
        _gray.Dispose();
        _previousGray.Dispose();
    }

    // One size per video: stored frames and flow successors alike (the record has one height and width).
    private void CheckSize(Size size)
    {
        if (_firstSize is not { } first)
        {
            _firstSize = size;
        }
        else if (size != first)
        {
            throw new VideoReadException(_path, string.Create(CultureInfo.InvariantCulture,
                $"the frame size changes mid-stream ({first.Width}x{first.Height} to {size.Width}x{size.Height}); give --size to store one size"));
        }
    }

    // Encodes slot d's entry with its flow field; its repeats are the same pair (next) or no motion (stored).
    private void Finish(int d, Mat field, Mat? frame)
    {
        var image = frame is null || IsSeed ? _first[d].Image : _encoder.Encode(frame);
        _first[d] = _flow!.Encode(field, frame, _encoder, image);
        _repeat[d] = _plan.IsRepeated(d) && _plan.FlowPairs == FlowPairs.Stored ? _flow.Encode(_flow.Zero(field.Size()), frame, _encoder, image) : _first[d];
    }
}
