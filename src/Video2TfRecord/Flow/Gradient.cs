namespace Video2TfRecord.Flow;

/// <summary>Image derivatives on float buffers.</summary>
internal static class Gradient
{
    /// <summary>
    /// Centered differences <c>(I(x+1) - I(x-1)) / 2</c> in x and y; at the edges the missing neighbor is the pixel itself.
    /// </summary>
    public static void Centered(ReadOnlySpan<float> image, int width, int height, Span<float> dx, Span<float> dy)
    {
        for (var y = 0; y < height; y++)
        {
            var row = image.Slice(y * width, width);
            var above = image.Slice(Math.Max(y - 1, 0) * width, width);
            var below = image.Slice(Math.Min(y + 1, height - 1) * width, width);
            Span<float> dxRow = dx.Slice(y * width, width), dyRow = dy.Slice(y * width, width);
            for (var x = 0; x < width; x++)
            {
                dxRow[x] = 0.5f * (row[Math.Min(x + 1, width - 1)] - row[Math.Max(x - 1, 0)]);
                dyRow[x] = 0.5f * (below[x] - above[x]);
            }
        }
    }
}
