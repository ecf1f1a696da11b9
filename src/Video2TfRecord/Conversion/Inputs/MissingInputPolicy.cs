namespace Video2TfRecord.Conversion.Inputs;

/// <summary>What a run does with an input path that does not exist (<c>--missing-input</c>).</summary>
public enum MissingInputPolicy
{
    /// <summary>The run refuses to start (exit code 1), naming the path (and its line of the input list). The default.</summary>
    Error,

    /// <summary>
    /// The path is kept in the catalog as a video that cannot be read: listed as failed ("the file does not exist"),
    /// the other videos written, exit code 3. For long input lists with a few stale paths.
    /// </summary>
    Skip,
}
