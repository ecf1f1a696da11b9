using Video2TfRecord.Tests.Fixtures;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Tests.TfRecords;

/// <summary>
/// A compressed record file cut inside its trailer fails to read and to verify, as <c>gzip -t</c> fails on it (issue 14,
/// point 6): .NET's decompressors end such a stream quietly, so the reader checks the trailer itself.
/// </summary>
public class CompressedTrailerTests
{
    [Theory]
    [InlineData("gzip", ".tfrecord.gz", 9)]
    [InlineData("zlib", ".tfrecord.zz", 5)]
    public void A_file_cut_inside_its_trailer_fails_to_verify_as_gzip_t_fails(string compression, string extension, int maxCut)
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        TestVideo.Create(input, "a", 8, TestCodec.H264Mp4, 48, 32);
        Assert.Equal(0, CliRunner.Run("convert", input, "-o", temp.Combine("out"), "--frames", "2", "--compression", compression, "--quiet").ExitCode);
        var path = temp.Combine("out", "videos-00000-of-00001" + extension);
        var whole = File.ReadAllBytes(path);
        Assert.Equal(0, CliRunner.Run("verify", path).ExitCode);

        for (var cut = 1; cut <= maxCut; cut++)
        {
            File.WriteAllBytes(path, whole[..^cut]);

            var run = CliRunner.Run("verify", path);

            Assert.True(run.ExitCode == 1, $"cut by {cut}: verify said {run.Output}");
            Assert.Contains("cut short", run.Output + run.Error, StringComparison.Ordinal);
            if (compression == "gzip")
            {
                Assert.Throws<InvalidOperationException>(() => ExternalProgram.Run("gzip", ["-t", path]));
            }
        }
    }

    [Theory]
    [InlineData(TfRecordCompression.Gzip, 8)]
    [InlineData(TfRecordCompression.Gzip, 2)]
    [InlineData(TfRecordCompression.Zlib, 1)]
    public void A_damaged_trailer_fails_to_read(TfRecordCompression compression, int fromEnd)
    {
        var bytes = TfRecordRoundTripTests.Write(compression, [[1, 2, 3], [42]]);
        using (var intact = new MemoryStream(bytes))
        {
            Assert.Equal(2, TfRecordRoundTripTests.ReadAll(intact, compression).Count);
        }

        bytes[^fromEnd] ^= 0x10;
        using var stream = new MemoryStream(bytes);

        Assert.Throws<TfRecordFormatException>(() => TfRecordRoundTripTests.ReadAll(stream, compression));
    }
}
