using Video2TfRecord.Protos;

namespace Video2TfRecord.Records;

/// <summary>
/// The <see cref="RecordLayout.Tfds"/> layout: one tf.train.Example per video in the form TensorFlow Datasets' example
/// serializer writes for <c>FeaturesDict({"video": Video(...), "label": ClassLabel(...), ...})</c>.
/// </summary>
/// <remarks>
/// TFDS flattens a FeaturesDict to one feature per top-level key. A <c>Video</c> is a <c>Sequence</c> of <c>Image</c>:
/// each image serializes to one encoded string and the sequence stacks them, so the frames are one bytes_list with N
/// values under <c>video</c> (tensorflow_datasets/core/features/video_feature.py, sequence_feature.py, image_feature.py,
/// core/example_serializer.py). A <c>ClassLabel</c> is an int64 scalar, <c>Text</c> a single bytes value and an int64
/// <c>Tensor</c> an int64_list holding its values flattened. Keys are serialized in ordinal order, like the other layouts.
/// </remarks>
public static class TfdsLayout
{
    /// <summary>Video feature (bytes_list, one encoded frame per value, in order).</summary>
    public const string Video = "video";
    /// <summary>ClassLabel feature (int64, one value; -1 for a video kept without label). Present only with labels.</summary>
    public const string Label = "label";
    /// <summary>Text feature: relative path without extension.</summary>
    public const string VideoId = "video_id";
    /// <summary>Text feature: relative path.</summary>
    public const string VideoPath = "video_path";
    /// <summary>Tensor(int64) feature: source frame index of each stored frame.</summary>
    public const string FrameIndices = "frame_indices";
    /// <summary>Tensor(int64) feature: presentation time of each stored frame, µs from the video's first frame.</summary>
    public const string TimestampsUs = "timestamps_us";
    /// <summary>Tensor(int64, scalar) feature: true frame count of the source video.</summary>
    public const string FrameCount = "frame_count";

    /// <summary>The split a run's record files belong to unless <c>--split</c> names another.</summary>
    public const string DefaultSplit = "train";

    /// <summary>TFDS's file format name, which is also the file name's format part.</summary>
    public const string FileFormat = "tfrecord";

    /// <summary>The label value TFDS's ClassLabel accepts for "no label".</summary>
    public const long NoLabel = -1;

    /// <summary>Builds the Example for one video; image bytes are shared with <paramref name="record"/>, not copied.</summary>
    /// <param name="record">The video.</param>
    /// <param name="labeled">Whether the dataset declares a <c>label</c> feature; a record without label then stores -1.</param>
    public static Example Build(VideoRecord record, bool labeled)
    {
        ArgumentNullException.ThrowIfNull(record);
        var frames = new BytesList();
        foreach (var image in record.Images)
        {
            frames.Value.Add(Google.Protobuf.UnsafeByteOperations.UnsafeWrap(image));
        }

        var features = new SortedFeatures<Feature>();
        features.Add(Video, new Feature { BytesList = frames });
        features.Add(VideoId, FeatureValues.Text(record.Id));
        features.Add(VideoPath, FeatureValues.Text(record.Path));
        features.Add(FrameIndices, FeatureValues.Int64s(record.FrameIndices.Select(i => (long)i)));
        features.Add(TimestampsUs, FeatureValues.Int64s(record.TimestampsUs));
        features.Add(FrameCount, FeatureValues.Int64(record.FrameCount));
        if (labeled)
        {
            features.Add(Label, FeatureValues.Int64(record.LabelIndex ?? NoLabel));
        }

        var example = new Example { Features = new Features() };
        features.CopyTo(example.Features.Feature);
        return example;
    }
}
