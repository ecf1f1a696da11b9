using System.Buffers.Binary;

namespace Video2TfRecord.Records;

/// <summary>
/// The shape of an encoded image read from its header alone (PNG IHDR, JPEG SOF), for records that do not declare it
/// (the TFDS layout keeps the shape in features.json).
/// </summary>
/// <param name="Format">JPEG or PNG.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Channels">Channels (1 to 4).</param>
/// <param name="Bits">Bits per sample (8 or 16).</param>
internal sealed record ImageHeader(string Format, int Height, int Width, int Channels, int Bits)
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Reads the header of a PNG or JPEG image, or returns null for anything else.</summary>
    public static ImageHeader? Read(ReadOnlySpan<byte> image)
    {
        if (image.Length >= 26 && image.StartsWith(PngSignature))
        {
            // IHDR: width, height (big-endian), bit depth, color type (0 gray, 2 RGB, 4 gray+alpha, 6 RGBA).
            int? channels = image[25] switch { 0 => 1, 2 => 3, 4 => 2, 6 => 4, _ => null };
            return channels is { } c
                ? new ImageHeader("PNG", BinaryPrimitives.ReadInt32BigEndian(image[20..]), BinaryPrimitives.ReadInt32BigEndian(image[16..]), c, image[24])
                : null;
        }

        if (image.Length < 4 || image[0] != 0xFF || image[1] != 0xD8)
        {
            return null;
        }

        // Walk the markers to the frame header: SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
        for (var i = 2; i + 9 < image.Length && image[i] == 0xFF;)
        {
            var marker = image[i + 1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(image[(i + 2)..]);
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                return new ImageHeader("JPEG", BinaryPrimitives.ReadUInt16BigEndian(image[(i + 5)..]), BinaryPrimitives.ReadUInt16BigEndian(image[(i + 7)..]), image[i + 9], image[i + 4]);
            }

            i += 2 + length;
        }

        return null;
    }
}
