namespace Video2TfRecord;

/// <summary>
/// The request cannot be carried out as given: a wrong option value, a missing input, an output folder that cannot
/// be used. The message is one line a user can act on; the command line exits with code 1.
/// </summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the exception with a message that names the option or path and the cause.</summary>
    public UsageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
