using Video2TfRecord.Conversion.Remote;
using Video2TfRecord.Storage;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Cli;

/// <summary>
/// <c>inspect</c>, <c>verify</c>, <c>index</c> and <c>preview</c> of <c>s3://</c> URLs: the library makes them local
/// (<see cref="LocalCopies"/>); the command line only says a failure as it says any other, but of the URL.
/// </summary>
internal static class RemoteArguments
{
    /// <summary>Runs a command's <paramref name="body"/> on the arguments made local, with its output said of the URLs.</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> arguments, StorageOptions storage, TextWriter output, TextWriter error,
        Func<LocalCopies, TextWriter, TextWriter, Task<int>> body, CancellationToken cancellationToken) =>
        LocalCopies.RunAsync(arguments, storage, output, error, body, Failed, cancellationToken);

    // As the command line says it (CliApplication), but into the buffer said of the URLs, not of the copy.
    private static Task<int>? Failed(Exception e, TextWriter error) =>
        e is UsageException or OptionException or TfRecordFormatException or InvalidDataException or IOException or UnauthorizedAccessException
            ? SayAsync(e, error)
            : null;

    private static async Task<int> SayAsync(Exception e, TextWriter error)
    {
        await error.WriteLineAsync($"video2tfrecord: {e.Message}").ConfigureAwait(false);
        return ExitCodes.Failure;
    }
}
