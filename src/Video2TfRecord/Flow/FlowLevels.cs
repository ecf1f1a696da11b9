using OpenCvSharp;

namespace Video2TfRecord.Flow;

/// <summary>
/// The coarse-to-fine frame both pyramid methods share: the two frames' pyramids and the flow (u, v) at every level,
/// allocated once per frame size. A level starts from zero (the coarsest) or from the coarser level's flow, upsampled.
/// </summary>
internal class FlowLevels
{
    public FlowLevels(int width, int height, int scales, int minSide)
    {
        (Width, Height) = (width, height);
        Previous = new FlowPyramid(width, height, scales, minSide);
        Next = new FlowPyramid(width, height, scales, minSide);
        U = new float[Previous.Count][];
        V = new float[Previous.Count][];
        for (var l = 0; l < Previous.Count; l++)
        {
            U[l] = new float[Previous.Width(l) * Previous.Height(l)];
            V[l] = new float[Previous.Width(l) * Previous.Height(l)];
        }
    }

    public int Width { get; }

    public int Height { get; }

    public FlowPyramid Previous { get; }

    public FlowPyramid Next { get; }

    /// <summary>Horizontal flow per level, finest (0) first.</summary>
    public float[][] U { get; }

    /// <summary>Vertical flow per level, finest (0) first.</summary>
    public float[][] V { get; }

    public int Coarsest => Previous.Count - 1;

    private FlowFrames Frames { get; } = new();

    /// <summary>
    /// Checks the pair, reuses <paramref name="cached"/> when it has the pair's size (else makes it with
    /// <paramref name="create"/>), and builds both pyramids: what every pyramid method does before its levels.
    /// </summary>
    public static T Prepare<T, TParameters>(ref T? cached, Mat previous, Mat next, Mat flow, TParameters parameters, Func<int, int, TParameters, T> create)
        where T : FlowLevels
    {
        FlowFrames.CheckPair(previous, next);
        ArgumentNullException.ThrowIfNull(flow);
        if (cached is null || cached.Width != previous.Width || cached.Height != previous.Height)
        {
            cached = create(previous.Width, previous.Height, parameters);
        }

        cached.Build(previous, next);
        return cached;
    }

    /// <summary>Writes the finest level's flow into <paramref name="flow"/> (32-bit float, 2 channels).</summary>
    public void Store(Mat flow) => Frames.Store(U[0], V[0], Width, Height, flow);

    /// <summary>Builds both pyramids from the pair.</summary>
    public void Build(Mat previous, Mat next)
    {
        Previous.Build(previous);
        Next.Build(next);
    }

    /// <summary>Sets level <paramref name="level"/>'s flow to its starting value before the method refines it.</summary>
    public void StartLevel(int level)
    {
        if (level == Coarsest)
        {
            U[level].AsSpan().Clear();
            V[level].AsSpan().Clear();
            return;
        }

        var (width, height) = (Previous.Width(level), Previous.Height(level));
        var (coarseWidth, coarseHeight) = (Previous.Width(level + 1), Previous.Height(level + 1));
        FlowPyramid.UpsampleFlow(U[level + 1], coarseWidth, coarseHeight, U[level], width, height);
        FlowPyramid.UpsampleFlow(V[level + 1], coarseWidth, coarseHeight, V[level], width, height);
    }
}
