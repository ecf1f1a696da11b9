namespace Video2TfRecord;

/// <summary>
/// An option's value, or a combination of options, cannot be honored: a wrong value, a missing input, labels that do
/// not fit the videos, an output folder that cannot be used. <see cref="Exception.Message"/> is one line a user can act
/// on; it names options by their command-line spelling (<c>--frames</c>), which the command line and the web service
/// share (the service's form fields are the same names without dashes).
/// </summary>
public sealed class OptionException : Exception
{
    /// <summary>Creates the exception for <paramref name="option"/> with a message that says what is wrong and how to fix it.</summary>
    /// <param name="option">The option at fault by its long name without dashes (<c>frames</c>, <c>labels</c>, <c>output</c>).</param>
    /// <param name="message">One line naming the option or path and the cause.</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    public OptionException(string option, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(option);
        Option = option;
    }

    /// <summary>The option at fault, by its long name without dashes (the key manifest.json and the service use).</summary>
    public string Option { get; }
}
