using System.IO.Hashing;

namespace Video2TfRecord.TfRecords;

/// <summary>
/// The masked CRC-32C (Castagnoli) that TFRecord framing stores after the length and after the data.
/// </summary>
/// <remarks>
/// System.IO.Hashing computes CRC-32C with the SSE4.2/ARM CRC instructions where the processor has them.
/// The mask (rotate right by 15, add a constant) is TensorFlow's, so that a CRC of data that itself holds CRCs
/// does not degenerate.
/// </remarks>
internal static class TfRecordCrc
{
    private const uint MaskDelta = 0xA282EAD8u;

    /// <summary>Plain CRC-32C of <paramref name="data"/> (0xE3069283 for the ASCII bytes "123456789").</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data);

    /// <summary>Masks a CRC-32C the way TFRecord stores it.</summary>
    public static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + MaskDelta;

    /// <summary>Undoes <see cref="Mask"/>.</summary>
    public static uint Unmask(uint maskedCrc)
    {
        var rotated = maskedCrc - MaskDelta;
        return (rotated >> 17) | (rotated << 15);
    }

    /// <summary>The masked CRC-32C of <paramref name="data"/>, as stored in a TFRecord file.</summary>
    public static uint ComputeMasked(ReadOnlySpan<byte> data) => Mask(Compute(data));
}
