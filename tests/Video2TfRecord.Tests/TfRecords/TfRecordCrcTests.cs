using System.Text;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Tests.TfRecords;

public class TfRecordCrcTests
{
    // Vectors from RFC 3720 (iSCSI), appendix B.4, and the usual check value.
    [Theory]
    [InlineData("check", 0xE3069283u)]
    [InlineData("zeros", 0x8A9136AAu)]
    [InlineData("ones", 0x62A8AB43u)]
    [InlineData("ascending", 0x46DD794Eu)]
    [InlineData("descending", 0x113FDB5Cu)]
    public void Crc32C_matches_published_vectors(string name, uint expected)
    {
        var data = name switch
        {
            "check" => Encoding.ASCII.GetBytes("123456789"),
            "zeros" => new byte[32],
            "ones" => Enumerable.Repeat((byte)0xFF, 32).ToArray(),
            "ascending" => Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(),
            _ => Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray(),
        };

        Assert.Equal(expected, TfRecordCrc.Compute(data));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(0xE3069283u)]
    [InlineData(0xFFFFFFFFu)]
    public void Mask_and_unmask_are_inverse(uint crc)
    {
        Assert.Equal(crc, TfRecordCrc.Unmask(TfRecordCrc.Mask(crc)));
        Assert.NotEqual(crc, TfRecordCrc.Mask(crc));
    }

    [Fact]
    public void Masked_crc_of_empty_data_is_the_mask_constant()
    {
        Assert.Equal(0xA282EAD8u, TfRecordCrc.ComputeMasked([]));
    }
}
