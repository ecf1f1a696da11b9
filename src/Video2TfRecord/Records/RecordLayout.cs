namespace Video2TfRecord.Records;

/// <summary>How a video becomes one serialized record.</summary>
public enum RecordLayout
{
    /// <summary>One tf.train.Example with the original tool's <c>blob/i</c>, <c>height</c>, <c>width</c>, <c>depth</c> plus metadata.</summary>
    Example,

    /// <summary>One tf.train.SequenceExample with MediaPipe MediaSequence keys (read by MediaPipe, DMVR, tf.data).</summary>
    Sequence,
}
