using OpenCvSharp;

namespace Video2TfRecord.Flow;

/// <summary>
/// A dense optical flow method. One instance serves one worker: implementations may keep buffers between calls
/// (allocation-free after the first pair of a size) and are not thread-safe.
/// </summary>
internal interface IOpticalFlow : IDisposable
{
    /// <summary>The method's option word (<c>farneback</c>, <c>tvl1</c>, <c>dis</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Computes the flow from <paramref name="previous"/> to <paramref name="next"/>: for every pixel, the displacement
    /// (dx, dy) in pixels such that <c>previous(x, y) ≈ next(x + dx, y + dy)</c>.
    /// </summary>
    /// <param name="previous">The earlier frame: 8-bit, one channel.</param>
    /// <param name="next">The later frame: 8-bit, one channel, the same size.</param>
    /// <param name="flow">Receives the flow: 32-bit float, two channels (dx, dy), the same size; (re)allocated as needed.</param>
    void Compute(Mat previous, Mat next, Mat flow);
}
