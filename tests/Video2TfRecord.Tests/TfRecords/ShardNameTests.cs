using Video2TfRecord.Conversion.Output;
using Video2TfRecord.Conversion.Sharding;
using Video2TfRecord.Records;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Tests.TfRecords;

public class ShardNameTests
{
    [Theory]
    [InlineData(3, 12, "videos-00003-of-00012.tfrecord.gz")]
    [InlineData(123456, 200000, "videos-123456-of-200000.tfrecord.gz")]
    public void Shard_name_formats_and_recognizes_the_same_template(int index, int count, string name)
    {
        var template = ShardName.Records("videos", TfRecordCompression.Gzip);

        Assert.Equal(name, template.Format(index, count));
        Assert.True(template.Matches(name, out var i, out var n));
        Assert.Equal((index, count), (i, n));
    }

    [Theory]
    [InlineData("videos-00000-of-00003.tfrecord", true)]
    [InlineData("my-set-00002-of-00003.tfrecord.zz", true)]
    [InlineData("videos-123456-of-200000.tfrecord", true)] // more than 99999 shards write six digits
    [InlineData("videos_ds-train.tfrecord-00001-of-00004", true)]
    [InlineData("videos-00000-of-00003.tfrecord.idx", false)]
    [InlineData(".videos-00000-of-00003.tfrecord.partial", false)]
    [InlineData("videos-0000-of-00003.tfrecord", false)]
    [InlineData("videos-0000a-of-00003.tfrecord", false)]
    [InlineData("-00000-of-00003.tfrecord", false)]
    [InlineData("videos.tfrecord", false)]
    [InlineData("Videos-Train.tfrecord-00001-of-00004", false)] // not TFDS names
    [InlineData("manifest-worker-00001-of-00004.json", false)]
    public void Output_folder_knows_record_files_by_the_templates(string name, bool recordFile)
    {
        Assert.Equal(recordFile, OutputFolder.IsRecordFile(name));
    }

    [Fact]
    public void Worker_parts_are_named_and_recognized_by_one_template()
    {
        var worker = new WorkerSlice(1, 4);

        Assert.Equal(("manifest-worker-00001-of-00004.json", "videos-worker-00001-of-00004.jsonl"), (worker.ManifestName, worker.LogName));
        Assert.True(OutputFolder.IsWorkerPart(worker.ManifestName));
        Assert.True(OutputFolder.IsWorkerPart(worker.LogName));
        Assert.False(OutputFolder.IsWorkerPart("manifest-worker-00001-of-00004.jsonl"));
        Assert.Equal("videos-validation.tfrecord-00002-of-00005", TfdsLayout.Shards("videos", "validation").Format(2, 5));
    }
}
