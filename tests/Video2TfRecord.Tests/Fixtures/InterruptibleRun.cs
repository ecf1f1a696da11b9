namespace Video2TfRecord.Tests.Fixtures;

/// <summary>
/// A corpus and a convert command slow enough (ffv1, every frame, PNG, one job) that a test can stop, signal or kill the
/// run while it works, shared by the tests that do.
/// </summary>
public static class InterruptibleRun
{
    public static string MakeCorpus(TempDirectory temp, int videos, int frames)
    {
        var input = temp.CreateFolder("in");
        for (var i = 0; i < videos; i++)
        {
            TestVideo.Create(input, $"v{i:D2}", frames, TestCodec.Ffv1Mkv, 160, 120);
        }

        return input;
    }

    public static string[] Convert(string input, string output, params string[] more) =>
        ["convert", input, "-o", output, "--frames", "all", "--encoding", "png", "--videos-per-file", "2", "--jobs", "1", "--quiet", .. more];
}
