namespace Video2TfRecord.Records;

/// <summary>How a video becomes one serialized record.</summary>
public enum RecordLayout
{
    /// <summary>One tf.train.Example with the original tool's <c>blob/i</c>, <c>height</c>, <c>width</c>, <c>depth</c> plus metadata.</summary>
    Example,

    /// <summary>One tf.train.SequenceExample with MediaPipe MediaSequence keys (read by MediaPipe, DMVR, tf.data).</summary>
    Sequence,

    /// <summary>
    /// One tf.train.Example per video exactly as TensorFlow Datasets serializes a FeaturesDict with a Video feature,
    /// with TFDS file names and dataset_info.json / features.json, so <c>tfds.builder_from_directory</c> reads the folder.
    /// </summary>
    Tfds,
}
