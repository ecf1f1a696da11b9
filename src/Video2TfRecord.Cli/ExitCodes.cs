namespace Video2TfRecord.Cli;

/// <summary>The process exit codes, as docs/architecture.md's contract fixes them.</summary>
public static class ExitCodes
{
    /// <summary>Every catalogued video was written; every file verified.</summary>
    public const int Success = 0;

    /// <summary>Usage, options or paths wrong, a file that fails verification, or nothing could start.</summary>
    public const int Failure = 1;

    /// <summary>The run finished but some videos were not written; they are listed.</summary>
    public const int SomeVideosNotWritten = 3;

    /// <summary>Interrupted by SIGINT (Ctrl+C) after cleanup.</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM after cleanup.</summary>
    public const int Terminated = 143;
}
