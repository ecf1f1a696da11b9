using System.Runtime.CompilerServices;

namespace Video2TfRecord.Video.Native;

/// <summary>Reads a field of a native struct at an offset known only at run time (it moved between FFmpeg majors).</summary>
internal static unsafe class NativeField
{
    /// <summary>The address <paramref name="offset"/> bytes into the struct <paramref name="self"/> refers to (FFmpeg's memory, never a copy).</summary>
    /// <exception cref="InvalidOperationException">The loaded major has no such field (offset -1).</exception>
    public static byte* Address<TStruct>(in TStruct self, int offset)
        where TStruct : unmanaged
    {
        if (offset < 0)
        {
            throw new InvalidOperationException($"the loaded FFmpeg ({LibAvLayout.Current.Release}) has no such field of {typeof(TStruct).Name}");
        }

        return (byte*)Unsafe.AsPointer(ref Unsafe.AsRef(in self)) + offset;
    }

    /// <summary>The <typeparamref name="T"/> at <paramref name="offset"/> in the struct <paramref name="self"/> refers to.</summary>
    public static T Read<TStruct, T>(in TStruct self, int offset)
        where TStruct : unmanaged
        where T : unmanaged => *(T*)Address(in self, offset);
}
