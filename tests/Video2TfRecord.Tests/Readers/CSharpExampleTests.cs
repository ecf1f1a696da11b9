using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Readers;

/// <summary>examples/ReadRecords (built with the solution) reads real output of both layouts, compressed and with flow.</summary>
public class CSharpExampleTests
{
    [Fact]
    public void Read_records_example_prints_each_record_with_its_frames_and_labels()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in", "jump"), "a", 20, TestCodec.H264Mp4, 64, 48);
        TestVideo.Create(temp.Combine("in", "walk"), "b", 31, TestCodec.Mpeg4Avi, 64, 48);
        Assert.Equal(0, CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("seq"), "--frames", "3", "--layout", "sequence",
            "--compression", "gzip", "--labels-from-folder", "--quiet").ExitCode);
        Assert.Equal(0, CliRunner.Run("convert", temp.Combine("in"), "-o", temp.Combine("flow"), "--frames", "2", "--flow", "dis",
            "--dtype", "uint16", "--quiet").ExitCode);
        var example = Repository.Combine("examples", "ReadRecords", "bin", "Release", "net10.0", "ReadRecords.dll");

        var sequence = CliProcess.RunProgram("dotnet", example, temp.Combine("seq"));
        var flow = CliProcess.RunProgram("dotnet", example, temp.Combine("flow"));

        Assert.True(sequence.ExitCode == 0, sequence.Error);
        Assert.Equal(
            "videos-00000-of-00001.tfrecord.gz #0: jump/a label=0:jump frames=3 shape=48x64x3 JPEG uint8 indices=3,10,16 flow=0\n" +
            "videos-00000-of-00001.tfrecord.gz #1: walk/b label=1:walk frames=3 shape=48x64x3 JPEG uint8 indices=5,15,25 flow=0\n",
            sequence.Output);
        Assert.True(flow.ExitCode == 0, flow.Error);
        Assert.Contains("#0: jump/a label=-:- frames=2 shape=48x64x3 PNG uint16 indices=5,15 flow=2", flow.Output, StringComparison.Ordinal);
    }
}
