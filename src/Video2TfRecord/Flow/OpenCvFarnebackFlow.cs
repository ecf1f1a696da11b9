using OpenCvSharp;

namespace Video2TfRecord.Flow;

/// <summary>
/// Farnebäck flow through OpenCV's <c>calcOpticalFlowFarneback</c>: the reference <see cref="FarnebackFlow"/> is checked
/// and timed against (tests, <c>bench/flow.sh</c>); conversions use <see cref="FarnebackFlow"/>.
/// </summary>
internal sealed class OpenCvFarnebackFlow : IOpticalFlow
{
    private readonly double _pyramidScale;
    private readonly int _levels;
    private readonly int _windowSize;
    private readonly int _iterations;
    private readonly int _polyN;
    private readonly double _polySigma;
    private readonly OpticalFlowFlags _flags;

    /// <summary>Creates the method with a preset's parameters.</summary>
    public OpenCvFarnebackFlow(FlowPreset preset)
    {
        if (preset == FlowPreset.Seed)
        {
            // Passed verbatim. Farneback reads only bits 4 (USE_INITIAL_FLOW) and 256 (FARNEBACK_GAUSSIAN) of the flags,
            // so the original's 10 (8 | 2) behaves as 0; poly_sigma 0 makes OpenCV choose 0.3 * poly_n.
            (_pyramidScale, _levels, _windowSize, _iterations, _polyN, _polySigma, _flags) = (0.8, 15, 5, 10, 5, 0, (OpticalFlowFlags)10);
        }
        else
        {
            (_pyramidScale, _levels, _windowSize, _iterations, _polyN, _polySigma, _flags) = (0.5, 3, 15, 3, 5, 1.2, OpticalFlowFlags.None);
        }
    }

    /// <inheritdoc/>
    public string Name => "farneback";

    /// <inheritdoc/>
    public void Compute(Mat previous, Mat next, Mat flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        flow.Create(previous.Size(), MatType.CV_32FC2);
        Cv2.CalcOpticalFlowFarneback(previous, next, flow, _pyramidScale, _levels, _windowSize, _iterations, _polyN, _polySigma, _flags);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
