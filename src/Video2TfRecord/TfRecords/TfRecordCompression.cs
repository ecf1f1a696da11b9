namespace Video2TfRecord.TfRecords;

/// <summary>How the bytes of a TFRecord file are compressed, as TensorFlow's <c>TFRecordOptions</c> names it.</summary>
public enum TfRecordCompression
{
    /// <summary>Plain TFRecord framing (TensorFlow: <c>""</c>).</summary>
    None,

    /// <summary>The whole file is one gzip stream (TensorFlow: <c>"GZIP"</c>); files end in <c>.gz</c>.</summary>
    Gzip,

    /// <summary>The whole file is one zlib stream (TensorFlow: <c>"ZLIB"</c>); files end in <c>.zz</c>.</summary>
    Zlib,
}
