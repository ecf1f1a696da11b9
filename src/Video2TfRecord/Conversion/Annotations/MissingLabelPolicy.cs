namespace Video2TfRecord.Conversion.Annotations;

/// <summary>What a run does with a video that no row of the label table matches (<c>--missing-label</c>).</summary>
public enum MissingLabelPolicy
{
    /// <summary>The video is not written; it is listed as skipped and the run exits with code 3. The default.</summary>
    Skip,

    /// <summary>The run refuses to start (exit code 1), naming the first unlabeled videos and how many there are.</summary>
    Error,

    /// <summary>The video is written without a label.</summary>
    Keep,
}
