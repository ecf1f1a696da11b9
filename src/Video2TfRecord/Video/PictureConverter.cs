using OpenCvSharp;
using Video2TfRecord.Frames;
using Video2TfRecord.Video.Native;

namespace Video2TfRecord.Video;

/// <summary>
/// Turns a decoded FFmpeg picture into the BGR <see cref="Mat"/> a <see cref="FrameVisitor"/> gets: one swscale
/// conversion straight to the scaled size of the stored geometry, then the rotation of the display matrix. One per
/// video, so its swscale context is reused from frame to frame.
/// </summary>
/// <remarks>
/// swscale writes into rows padded to <see cref="PaddedWidth"/>, never straight into a picture of the exact width: the
/// x86 converters of libswscale (seen in Debian's 5.1: yuv420p and yuv422p to BGR24) work in blocks of 16 pixels. Given a row of
/// exactly the picture's width they write the last block whole, up to 8 pixels (24 bytes) past the row, which past the
/// last row is past the buffer: heap corruption (glibc's "malloc(): invalid size", a 72-pixel-wide ffv1 video at its
/// own size). Where a whole block would not fit the stride they leave the row's last 2–6 pixels unwritten instead,
/// and the picture keeps whatever the buffer held. Widths that are multiples of the padding go straight into the
/// picture; others are scaled into the padded rows and their visible part copied out.
/// </remarks>
internal sealed unsafe class PictureConverter : IDisposable
{
    /// <summary>The padding of a row swscale writes, in pixels: twice the 16-pixel blocks its SIMD converters write.</summary>
    internal const int RowBlock = 32;

    private readonly string _path;
    private readonly FrameResize _resize;
    private readonly bool _deep;
    private readonly RotateFlags? _rotation;
    private readonly Mat _bgr = new();
    private readonly Mat _rotated = new();
    private readonly Mat _padded = new();
    private void* _scaler;
    private bool _disposed;

    /// <param name="path">The video, named by the errors.</param>
    /// <param name="resize">The stored geometry: pictures are scaled to its scaled size of the upright frame.</param>
    /// <param name="deep">Whether a source deeper than 8 bits is converted to 16 bits per sample.</param>
    /// <param name="rotation">The rotation that makes pictures upright, or null.</param>
    public PictureConverter(string path, FrameResize resize, bool deep, RotateFlags? rotation)
    {
        (_path, _resize, _deep, _rotation) = (path, resize, deep, rotation);
    }

    /// <summary>
    /// The picture as BGR (16-bit when asked for and the source is deeper than 8 bits, so uint16 keeps its real bits),
    /// scaled to the stored geometry's scaled size, upright. Owned by this converter and valid until the next call.
    /// </summary>
    /// <param name="frame">A decoded picture; read, not kept.</param>
    /// <param name="index">The frame's index, named by the errors.</param>
    /// <exception cref="VideoReadException">The picture is empty or its pixel format cannot be converted.</exception>
    public Mat Convert(AVFrame* frame, int index)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var (width, height) = (frame->width, frame->height);
        if (width <= 0 || height <= 0 || frame->format < 0)
        {
            throw new VideoReadException(_path, "the decoder returned no image for this frame", index);
        }

        var turned = _rotation is RotateFlags.Rotate90Clockwise or RotateFlags.Rotate90Counterclockwise;
        var scaled = _resize.GeometryFor(turned ? new Size(height, width) : new Size(width, height)).Scaled;
        var (outWidth, outHeight) = turned ? (scaled.Height, scaled.Width) : (scaled.Width, scaled.Height);
        var deep = _deep && LibAv.av_pix_fmt_desc_get(frame->format) is var format && format is not null && format->comp.depth > 8;
        // An area filter when shrinking (as cv2's INTER_AREA: no aliasing), bilinear when enlarging; bicubic where the
        // library's own path for the other two is broken (16-bit rows kept at their height on FFmpeg 8.0).
        var filter = deep && outHeight == height && LibAvLayout.Current.DeepRowCopyBroken ? LibAv.SWS_BICUBIC
            : outWidth <= width && outHeight <= height ? LibAv.SWS_AREA
            : LibAv.SWS_BILINEAR;
        _scaler = LibAv.sws_getCachedContext(_scaler, width, height, frame->format, outWidth, outHeight,
            deep ? LibAvLayout.Current.PixelFormatBgr48Le : LibAv.AV_PIX_FMT_BGR24, filter, null, null, null);
        if (_scaler is null)
        {
            throw new VideoReadException(_path, $"the picture's pixel format ({frame->format}) cannot be converted to RGB", index);
        }

        var type = deep ? MatType.CV_16UC3 : MatType.CV_8UC3;
        _bgr.Create(outHeight, outWidth, type);
        var padded = PaddedWidth(outWidth) != outWidth;
        if (padded)
        {
            _padded.Create(outHeight, PaddedWidth(outWidth), type);
        }

        var target = padded ? _padded : _bgr;
        var destination = stackalloc byte*[4] { target.DataPointer, null, null, null };
        var stride = stackalloc int[4] { (int)target.Step(), 0, 0, 0 };
        LibAv.sws_scale(_scaler, &frame->data, &frame->linesize, 0, height, destination, stride);
        if (padded)
        {
            using var visible = _padded[new Rect(0, 0, outWidth, outHeight)];
            visible.CopyTo(_bgr);
        }

        if (_rotation is not { } rotation)
        {
            return _bgr;
        }

        Cv2.Rotate(_bgr, _rotated, rotation);
        return _rotated;
    }

    /// <summary>
    /// The width, in pixels, of the rows swscale writes a picture <paramref name="width"/> pixels wide into:
    /// <paramref name="width"/> rounded up to a multiple of <see cref="RowBlock"/>.
    /// </summary>
    internal static int PaddedWidth(int width) => (width + RowBlock - 1) / RowBlock * RowBlock;

    /// <summary>Frees the swscale context and the pictures; idempotent.</summary>
    public void Dispose()
    {
        _disposed = true;
        LibAv.sws_freeContext(_scaler);
        _scaler = null;
        _bgr.Dispose();
        _rotated.Dispose();
        _padded.Dispose();
    }
}
