using System.Buffers;
using System.Runtime.InteropServices;

namespace Video2TfRecord.Inspection;

/// <summary>
/// Decodes a JPEG with libjpeg-turbo (Debian's libturbojpeg0) and reports its warnings, which OpenCV's decoder keeps to
/// itself: "Corrupt JPEG data: 85 extraneous bytes before marker 0xd9" is a damaged image even when it decodes.
/// </summary>
/// <remarks>Without the library nothing is reported (<see cref="Available"/> says so); the image is still decoded by OpenCV.</remarks>
internal static unsafe partial class JpegCheck
{
    private const string Library = "libturbojpeg.so.0";
    private const int PixelFormatRgb = 0;
    private const int ColorspaceGray = 2;
    private static readonly Lazy<bool> Loaded = new(() => NativeLibrary.TryLoad(Library, out _));

    /// <summary>Whether libturbojpeg loads here.</summary>
    public static bool Available => Loaded.Value;

    /// <summary>
    /// Decodes <paramref name="jpeg"/> fully: its size and channels, and what libjpeg says is wrong with it (a warning or
    /// an error; null when it decodes cleanly). Null when libturbojpeg is not here.
    /// </summary>
    public static (string? Problem, int Width, int Height, int Channels)? Decode(ReadOnlySpan<byte> jpeg)
    {
        if (!Available)
        {
            return null;
        }

        var handle = InitDecompress();
        if (handle == 0)
        {
            return null;
        }

        byte[]? pixels = null;
        try
        {
            fixed (byte* source = jpeg)
            {
                if (DecompressHeader(handle, source, (nuint)jpeg.Length, out var width, out var height, out _, out var colorspace) != 0)
                {
                    return (Corrupt(handle), 0, 0, 0);
                }

                var channels = colorspace == ColorspaceGray ? 1 : 3;
                pixels = ArrayPool<byte>.Shared.Rent(checked(width * height * 3));
                fixed (byte* target = pixels)
                {
                    // Returns -1 for warnings too (the image decodes, damaged); the message says what libjpeg found.
                    var problem = Decompress(handle, source, (nuint)jpeg.Length, target, width, 0, height, PixelFormatRgb, 0) == 0 ? null : Corrupt(handle);
                    return (problem, width, height, channels);
                }
            }
        }
        finally
        {
            if (pixels is not null)
            {
                ArrayPool<byte>.Shared.Return(pixels);
            }

            _ = Destroy(handle);
        }
    }

    private static string Corrupt(nint handle) => $"JPEG data is corrupt (libjpeg: {Marshal.PtrToStringUTF8(ErrorText(handle))})";

    [LibraryImport(Library, EntryPoint = "tjInitDecompress")]
    private static partial nint InitDecompress();

    [LibraryImport(Library, EntryPoint = "tjDecompressHeader3")]
    private static partial int DecompressHeader(nint handle, byte* jpeg, nuint size, out int width, out int height, out int subsampling, out int colorspace);

    [LibraryImport(Library, EntryPoint = "tjDecompress2")]
    private static partial int Decompress(nint handle, byte* jpeg, nuint size, byte* pixels, int width, int pitch, int height, int pixelFormat, int flags);

    [LibraryImport(Library, EntryPoint = "tjGetErrorStr2")]
    private static partial nint ErrorText(nint handle);

    [LibraryImport(Library, EntryPoint = "tjDestroy")]
    private static partial int Destroy(nint handle);
}
