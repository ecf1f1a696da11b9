using System.Text.Json;

namespace Video2TfRecord.Tests.Fixtures;

/// <summary>
/// Two output folders of one conversion compared as users depend on it: the same files, byte for byte, and manifests
/// that list the same files, totals, options and plan. Used wherever a run is split (workers, Slurm tasks, a bucket)
/// and must equal one process.
/// </summary>
public static class SameRun
{
    /// <param name="expected">The folder one process wrote.</param>
    /// <param name="actual">The folder to compare (workers merged, a bucket downloaded).</param>
    /// <param name="sameLog">Whether videos.jsonl must be equal too (not when the videos' own paths differ: a bucket's keys).</param>
    /// <param name="sameVideos">Whether the catalog fingerprint must be equal (not when the same videos came from elsewhere, with other times).</param>
    public static void Equal(string expected, string actual, bool sameLog = true, bool sameVideos = true)
    {
        Assert.Equal(Files(expected), Files(actual));
        foreach (var name in Files(expected).Where(n => n != "manifest.json" && (sameLog || n != "videos.jsonl")))
        {
            Assert.True(File.ReadAllBytes(Path.Combine(expected, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, name))), $"{name} differs");
        }

        using var one = JsonDocument.Parse(File.ReadAllText(Path.Combine(expected, "manifest.json")));
        using var other = JsonDocument.Parse(File.ReadAllText(Path.Combine(actual, "manifest.json")));
        foreach (var key in new[] { "files", "totals", "options", "options_fingerprint", "catalog_fingerprint", "shards", "complete" }
                     .Where(k => sameVideos || k != "catalog_fingerprint"))
        {
            Assert.Equal(one.RootElement.GetProperty(key).GetRawText(), other.RootElement.GetProperty(key).GetRawText());
        }
    }

    public static string[] Files(string folder) =>
        Directory.GetFiles(folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
}
