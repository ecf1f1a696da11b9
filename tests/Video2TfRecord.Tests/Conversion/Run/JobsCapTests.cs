using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Conversion.Run;

/// <summary>A run starts no more workers, and keeps no more outcomes waiting, than it has records to convert (issue 23).</summary>
public class JobsCapTests
{
    [Fact]
    public void A_hundred_million_jobs_for_one_video_convert_it_within_a_small_heap()
    {
        using var temp = new TempDirectory();
        TestVideo.Create(temp.Combine("in"), "clip", 8, TestCodec.MjpegAvi, 32, 24);

        // A reorder window or worker list sized by --jobs alone needs gigabytes here: the small heap turns that into a failure.
        var run = BoundedCli.RunWithSmallHeap("convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "4", "--jobs", "100000000", "-q");

        Assert.True(run.ExitCode == 0, run.Error);
        var record = Assert.Single(RecordFiles.ReadAll(temp.Combine("out", "videos-00000-of-00001.tfrecord")));
        Assert.Equal([1, 3, 5, 7], RecordFiles.StoredPatternIndices(record));
    }
}
