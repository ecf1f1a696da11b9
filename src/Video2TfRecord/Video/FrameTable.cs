using System.Globalization;
using System.Text;

namespace Video2TfRecord.Video;

/// <summary>
/// The shown frames of a video stream as its packets list them: presentation timestamps (stream time base) in
/// presentation order, which of them are keyframes, and the timestamps of packets an edit list discards. A decoded
/// frame is identified by its timestamp here, so seeking and damaged streams never shift an index. Pure data.
/// </summary>
internal sealed class FrameTable
{
    private readonly long[] _pts;
    private readonly int[] _keys;
    private readonly long[] _discarded;
    private readonly bool[]? _unreferenced;

    private FrameTable(long[] pts, int[] keys, long[] discarded, double secondsPerTick, bool[]? unreferenced = null)
    {
        (_pts, _keys, _discarded, _unreferenced) = (pts, keys, discarded, unreferenced);
        SecondsPerTick = secondsPerTick;
        var timestamps = new long[pts.Length];
        for (var i = 0; i < pts.Length; i++)
        {
            timestamps[i] = (long)Math.Round((pts[i] - pts[0]) * secondsPerTick * 1e6);
        }

        TimestampsUs = timestamps;
    }

    /// <summary>Shown frames.</summary>
    public int Count => _pts.Length;

    /// <summary>Presentation time of each frame, µs from the first, ascending.</summary>
    public IReadOnlyList<long> TimestampsUs { get; }

    /// <summary>Seconds per timestamp tick (the stream's time base).</summary>
    public double SecondsPerTick { get; }

    /// <summary>Whether any frame is known to be referenced by no other (<see cref="IsUnreferenced"/>).</summary>
    public bool HasUnreferenced => _unreferenced is not null;

    /// <summary>
    /// Whether the bitstream says no other picture references frame <paramref name="index"/> (<see cref="UnreferencedPictures"/>):
    /// a decode that does not keep it may skip it.
    /// </summary>
    public bool IsUnreferenced(int index) => _unreferenced is { } unreferenced && unreferenced[index];

    /// <summary>The timestamp of frame <paramref name="index"/>, in ticks.</summary>
    public long PtsOf(int index) => _pts[index];

    /// <summary>
    /// Builds the table from the packets of the stream, in file order, or returns null when their timestamps cannot
    /// identify frames (a packet without one, or two packets with the same one): then frames are counted in the order
    /// they decode.
    /// </summary>
    /// <param name="packets">Each packet's presentation timestamp (null when it has none), keyframe and discard flags.</param>
    /// <param name="secondsPerTick">The stream's time base.</param>
    /// <param name="unreferenced">Timestamps of the packets whose pictures nothing references, or null when none are known.</param>
    public static FrameTable? Create(IReadOnlyList<(long? Pts, bool Key, bool Discard)> packets, double secondsPerTick, IReadOnlySet<long>? unreferenced = null)
    {
        ArgumentNullException.ThrowIfNull(packets);
        var shown = new List<(long Pts, bool Key)>(packets.Count);
        var discarded = new List<long>();
        foreach (var (pts, key, discard) in packets)
        {
            if (pts is not { } p)
            {
                return null;
            }

            if (discard)
            {
                discarded.Add(p);
            }
            else
            {
                shown.Add((p, key));
            }
        }

        shown.Sort((a, b) => a.Pts.CompareTo(b.Pts));
        for (var i = 1; i < shown.Count; i++)
        {
            if (shown[i].Pts == shown[i - 1].Pts)
            {
                return null;
            }
        }

        var keys = new List<int>();
        for (var i = 0; i < shown.Count; i++)
        {
            if (shown[i].Key)
            {
                keys.Add(i);
            }
        }

        discarded.Sort();
        bool[]? skippable = null;
        if (unreferenced is { Count: > 0 })
        {
            skippable = new bool[shown.Count];
            for (var i = 0; i < shown.Count; i++)
            {
                skippable[i] = unreferenced.Contains(shown[i].Pts);
            }
        }

        return new FrameTable([.. shown.Select(s => s.Pts)], [.. keys], [.. discarded], secondsPerTick, skippable);
    }

    /// <summary>The index of the frame shown at <paramref name="pts"/>, or -1 when no counted frame has that time.</summary>
    public int IndexOf(long pts)
    {
        var i = Array.BinarySearch(_pts, pts);
        return i >= 0 ? i : -1;
    }

    /// <summary>Whether an edit list discards the packet at <paramref name="pts"/> (the decoder may still return it).</summary>
    public bool IsDiscarded(long pts) => Array.BinarySearch(_discarded, pts) >= 0;

    /// <summary>The last keyframe at or before frame <paramref name="index"/> in presentation order, or -1 when none is.</summary>
    public int KeyframeBefore(int index)
    {
        var i = Array.BinarySearch(_keys, index);
        return i >= 0 ? _keys[i] : ~i - 1 >= 0 ? _keys[~i - 1] : -1;
    }

    /// <summary>
    /// The table of the frames that decoded (<paramref name="decoded"/>[i] for frame i), and the lost ones in words:
    /// "frames 81–199, 230 did not decode (120 of 250)".
    /// </summary>
    public (FrameTable Table, string? Lost) Keep(bool[] decoded)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        var pts = new List<long>(_pts.Length);
        var keys = new List<int>();
        var lost = new List<string>();
        var lostCount = 0;
        for (var i = 0; i < _pts.Length; i++)
        {
            if (decoded[i])
            {
                if (Array.BinarySearch(_keys, i) >= 0)
                {
                    keys.Add(pts.Count);
                }

                pts.Add(_pts[i]);
                continue;
            }

            var end = i;
            while (end + 1 < _pts.Length && !decoded[end + 1])
            {
                end++;
            }

            lostCount += end - i + 1;
            lost.Add(end == i ? i.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{i}–{end}"));
            i = end;
        }

        if (lost.Count == 0)
        {
            return (this, null);
        }

        var words = new StringBuilder(lost.Count == 1 && !lost[0].Contains('–', StringComparison.Ordinal) ? "frame " : "frames ");
        words.AppendJoin(", ", lost.Take(5));
        if (lost.Count > 5)
        {
            words.Append(CultureInfo.InvariantCulture, $" and {lost.Count - 5} more runs");
        }

        words.Append(CultureInfo.InvariantCulture, $" did not decode ({lostCount} of {_pts.Length})");

        return (pts.Count == 0 ? this : new FrameTable([.. pts], [.. keys], _discarded, SecondsPerTick), words.ToString());
    }
}
