using System.Diagnostics;
using System.Runtime.InteropServices;
using Video2TfRecord.Tests.Fixtures;
using Video2TfRecord.Video;
using Video2TfRecord.Video.Native;

namespace Video2TfRecord.Tests.Video;

/// <summary>
/// Pictures kept at their own size go through swscale's unscaled x86 converters (yuv420p to BGR24), which on Debian's
/// libswscale 5.1 work in 16-pixel blocks: given rows of exactly the picture's width they wrote 24 bytes past the
/// buffer at widths of 8–14 past a multiple of 16 (heap corruption: <c>malloc(): invalid size (unsorted)</c> in
/// bench/same-bytes.sh's run 7, a 72-pixel-wide ffv1 video) and left each row's last pixels unwritten at widths of
/// 2–6 past one. <see cref="PictureConverter"/> gives swscale padded rows.
/// </summary>
/// <remarks>
/// The overrun itself corrupts the heap only now and then (the allocator's slack often absorbs it), so the first test
/// checks it without relying on a crash: it scales a real decoded picture into a guarded native buffer with the rows
/// <see cref="PictureConverter.PaddedWidth"/> gives and asserts that nothing past them changed and that every visible
/// byte was written (with rows of the exact width, the old geometry, it fails at every width listed). The second
/// checks what the conversion hands out against ffmpeg's own conversion of the same frames.
/// </remarks>
public class PictureConverterTests
{
    private const int Height = 16;
    private const int Guard = 256;

    [Theory]
    [InlineData(18)]
    [InlineData(66)]
    [InlineData(72)]
    [InlineData(88)]
    [InlineData(100)]
    [InlineData(104)]
    [InlineData(130)]
    public unsafe void Swscale_writes_every_visible_pixel_and_nothing_past_the_padded_rows(int width)
    {
        using var temp = new TempDirectory();
        var path = TestVideo.Create(temp.Path, "clip", 2, TestCodec.H264Mp4, width, Height);
        using var stream = new FFmpegStream(path, 1);
        stream.OpenDecoder();
        Assert.True(stream.ReceiveFrame());
        var frame = stream.Frame;
        var scaler = LibAv.sws_getCachedContext(null, width, Height, frame->format, width, Height, LibAv.AV_PIX_FMT_BGR24,
            LibAv.SWS_AREA, null, null, null);
        Assert.True(scaler is not null);
        var stride = PictureConverter.PaddedWidth(width) * 3;
        var size = stride * Height;
        var first = (byte*)NativeMemory.Alloc((nuint)(size + Guard));
        var second = (byte*)NativeMemory.Alloc((nuint)(size + Guard));
        try
        {
            // Two fills: a visible byte left unwritten keeps its fill, so the two conversions would differ there.
            Scale(scaler, frame, first, stride, size, 0xAB);
            Scale(scaler, frame, second, stride, size, 0x54);

            Assert.True(new ReadOnlySpan<byte>(first + size, Guard).IndexOfAnyExcept((byte)0xAB) < 0, "swscale wrote past the last row");
            Assert.True(new ReadOnlySpan<byte>(second + size, Guard).IndexOfAnyExcept((byte)0x54) < 0, "swscale wrote past the last row");
            for (var y = 0; y < Height; y++)
            {
                var row = y * stride;
                Assert.True(new ReadOnlySpan<byte>(first + row, width * 3).SequenceEqual(new ReadOnlySpan<byte>(second + row, width * 3)),
                    $"row {y} was not written whole");
            }
        }
        finally
        {
            NativeMemory.Free(first);
            NativeMemory.Free(second);
            LibAv.sws_freeContext(scaler);
        }
    }

    [Theory]
    [InlineData(72)]
    [InlineData(100)]
    [InlineData(96)]
    public void Frames_kept_at_their_own_size_are_the_pictures_ffmpeg_converts(int width)
    {
        using var temp = new TempDirectory();
        const int count = 6;
        // Every pixel changes from frame to frame, so a row end left unwritten (holding the last frame's) shows.
        var path = TestVideo.Create(temp.Path, "clip", count, TestCodec.H264Mp4, width, Height,
            draw: i => [.. Enumerable.Range(0, width * Height * 3).Select(p => (byte)(p * 7 + i * 53))]);
        var expected = FfmpegBgr(path);
        Assert.Equal(count * width * Height * 3, expected.Length);

        using var decoded = DecodedFrames.Of(new FFmpegDecoder(1), path, [.. Enumerable.Range(0, count)]);

        Assert.Equal(count, decoded.Frames.Count);
        var frameBytes = width * Height * 3;
        foreach (var (index, _, frame) in decoded.Frames)
        {
            Assert.Equal((width, Height), (frame.Width, frame.Height));
            Assert.True(frame.IsContinuous());
            var actual = new byte[frameBytes];
            Marshal.Copy(frame.Data, actual, 0, frameBytes);
            Assert.True(expected.AsSpan(index * frameBytes, frameBytes).SequenceEqual(actual), $"frame {index} differs from ffmpeg's");
        }
    }

    private static unsafe void Scale(void* scaler, AVFrame* frame, byte* buffer, int stride, int size, byte fill)
    {
        new Span<byte>(buffer, size + Guard).Fill(fill);
        var destination = stackalloc byte*[4] { buffer, null, null, null };
        var strides = stackalloc int[4] { stride, 0, 0, 0 };
        LibAv.sws_scale(scaler, &frame->data, &frame->linesize, 0, Height, destination, strides);
    }

    // ffmpeg's own decode to packed BGR, through swscale with the area filter the converter asks for.
    private static byte[] FfmpegBgr(string path)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-v", "error", "-i", path, "-sws_flags", "area", "-f", "rawvideo", "-pix_fmt", "bgr24", "-" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start");
        var errors = process.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        var copied = process.StandardOutput.BaseStream.CopyToAsync(output);
        ChildProcess.WaitForExit(process);
        Assert.True(copied.Wait(TimeSpan.FromSeconds(10)), "ffmpeg's output stayed open after it ended");
        Assert.True(process.ExitCode == 0, errors.Result);
        return output.ToArray();
    }
}
