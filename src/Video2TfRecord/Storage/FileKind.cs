using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Video2TfRecord.Storage;

/// <summary>
/// What a local path is, asked of the kernel before the file is opened: opening a named pipe blocks until a writer
/// comes (inspect and verify hung on one), and a device or pipe has no length (convert called /dev/zero "empty").
/// statx, not stat: glibc exports <c>stat</c> as a symbol only from 2.33 (Debian 11 has 2.31), <c>statx</c> from 2.28,
/// and struct statx is the kernel's, the same on every architecture.
/// </summary>
internal static partial class FileKind
{
    private const int AtCurrentDirectory = -100;
    private const uint StatxType = 0x1;
    private const uint StatxInode = 0x100;

    /// <summary>What <see cref="NotRegular"/> calls a pipe, named or not (<c>&lt;(…)</c> is one).</summary>
    public const string Pipe = "a named pipe (FIFO)";

    /// <summary>
    /// What <paramref name="path"/> is, in words, when it exists and is not a regular file (links followed): "a named
    /// pipe (FIFO)", "a character device", …; null for a regular file, or a path that cannot be looked at (the
    /// caller's own open then says why).
    /// </summary>
    public static string? NotRegular(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Span<byte> buffer = stackalloc byte[256];
        if (Statx(AtCurrentDirectory, path, 0, StatxType, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            return null;
        }

        // stx_mode at byte 28; the type is its S_IFMT bits.
        return (BinaryPrimitives.ReadUInt16LittleEndian(buffer[28..]) & 0xF000) switch
        {
            0x8000 => null,
            0x4000 => "a folder",
            0x1000 => Pipe,
            0x2000 => "a character device",
            0x6000 => "a block device",
            0xC000 => "a socket",
            _ => "not a file",
        };
    }

    /// <summary>The cause given for a path that is not a regular file, or null when it is one.</summary>
    public static string? Refusal(string path) => NotRegular(path) is { } kind ? $"not a regular file ({kind})" : null;

    /// <summary>Throws when <paramref name="path"/> exists and is not a regular file, before anything opens it.</summary>
    /// <exception cref="IOException">"PATH: not a regular file (a named pipe (FIFO))".</exception>
    public static void RequireRegular(string path)
    {
        if (Refusal(path) is { } refusal)
        {
            throw new IOException($"{path}: {refusal}");
        }
    }

    /// <summary>Device and inode of what <paramref name="path"/> leads to (links followed), or null when it cannot be read.</summary>
    public static (ulong Device, ulong Inode)? Id(string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        if (Statx(AtCurrentDirectory, path, 0, StatxInode, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            return null;
        }

        // stx_ino at byte 32, stx_dev_major and stx_dev_minor at 136 and 140.
        var device = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(buffer[136..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(buffer[140..]);
        return (device, BinaryPrimitives.ReadUInt64LittleEndian(buffer[32..]));
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, ref byte buffer);
}
