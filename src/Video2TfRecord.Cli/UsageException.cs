namespace Video2TfRecord.Cli;

/// <summary>
/// A command line the CLI itself refuses (an option that needs another, a record number below 0); the library's own
/// errors are <see cref="OptionException"/> and I/O exceptions. The message is one line; the exit code is 1.
/// </summary>
internal sealed class UsageException : Exception
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
