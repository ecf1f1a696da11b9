namespace Video2TfRecord.Cli;

/// <summary>
/// A command was interrupted (SIGINT/SIGTERM) and has already told the user what it kept; the application only picks
/// the exit code.
/// </summary>
internal sealed class InterruptionReportedException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    public InterruptionReportedException()
        : base("interrupted; already reported")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public InterruptionReportedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public InterruptionReportedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
