using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Video2TfRecord.Conversion.Output;
using Video2TfRecord.Conversion.Sharding;

namespace Video2TfRecord.Conversion.Run;

/// <summary>
/// An output folder's lock for the time of a run: an OS file lock (<c>flock</c>) on <c>.video2tfrecord.lock</c>, which
/// the kernel releases when the process ends in any way, so kill -9 never leaves a stale lock. A whole run holds it
/// exclusively; the workers of one run (<c>--worker-index</c>) hold it shared, so they run together but not beside a
/// whole run, and each holds its own <c>.video2tfrecord-worker-I-of-K.lock</c> exclusively. Holders write their process
/// id into their file, which a refused run names.
/// </summary>
/// <remarks>
/// The files are opened through libc, not <see cref="FileStream"/>: .NET takes its own flock for every open on Unix,
/// which would keep a refused run from reading the holder's process id. A run that ends deletes its lock file when no
/// one else holds it (the last worker deletes the shared one), so a finished folder holds only the run's files; a run
/// that locked a file just deleted by another (it opened it before the deletion) sees "(deleted)" behind its
/// descriptor and locks the new file instead. A killed run leaves its file, unlocked, for the next run to take.
/// </remarks>
internal sealed partial class RunLock : IDisposable
{
    /// <summary>The lock file of a whole run.</summary>
    public const string FileName = ".video2tfrecord.lock";

    private const int LockShared = 1, LockExclusive = 2, LockNonBlocking = 4;
    private const int OpenReadWrite = 2, OpenCreate = 0x40, OpenCloseOnExec = 0x80000;
    private const int WouldBlock = 11, PermissionDenied = 13;

    private readonly (int Descriptor, string Path)[] _held;

    private RunLock((int, string)[] held) => _held = held;

    /// <summary>The lock file of worker <paramref name="worker"/>.</summary>
    public static string WorkerFileName(WorkerSlice worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        return string.Create(CultureInfo.InvariantCulture, $".video2tfrecord-worker-{worker.Index:D5}-of-{worker.Count:D5}.lock");
    }

    /// <summary>Takes the folder's lock for a whole run, or for one worker of a run; creates the folder if needed.</summary>
    /// <exception cref="OptionException">Another run holds the folder; the message names it and its process id.</exception>
    public static RunLock Acquire(string directory, WorkerSlice? worker)
    {
        OutputFolder.Create(directory);
        var run = Lock(directory, FileName, worker is null ? LockExclusive : LockShared, descriptor => TryLock(descriptor, LockShared)
            ? "the workers of another run (--worker-index)"
            : $"another run (process {HolderOf(descriptor)})");
        if (worker is null)
        {
            WriteProcessId(run.Descriptor);
            return new RunLock([run]);
        }

        try
        {
            var own = Lock(directory, WorkerFileName(worker), LockExclusive,
                descriptor => $"worker {worker.Index} of {worker.Count} of another run (process {HolderOf(descriptor)})");
            WriteProcessId(own.Descriptor);
            return new RunLock([own, run]);
        }
        catch
        {
            Release(run);
            throw;
        }
    }

    /// <summary>The process id written into a lock file of <paramref name="directory"/>, or null when there is none.</summary>
    public static int? HolderOf(string directory, string fileName = FileName)
    {
        var path = Path.Combine(directory, fileName);
        if (!File.Exists(path))
        {
            return null;
        }

        var descriptor = Open(directory, fileName);
        try
        {
            return int.TryParse(HolderOf(descriptor), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    /// <summary>Releases the locks, deleting each lock file no one else holds.</summary>
    public void Dispose()
    {
        foreach (var held in _held)
        {
            if (held.Descriptor >= 0)
            {
                Release(held);
            }
        }

        Array.Fill(_held, (-1, ""));
    }

    // Opens and locks the file; when another run holds it, refuses naming the holder (described from the descriptor).
    private static (int Descriptor, string Path) Lock(string directory, string fileName, int operation, Func<int, string> holder)
    {
        var path = Path.Combine(directory, fileName);
        while (true)
        {
            var descriptor = Open(directory, fileName);
            if (!TryLock(descriptor, operation))
            {
                var who = holder(descriptor);
                _ = Close(descriptor);
                throw new OptionException("output", $"output folder {directory} is in use by {who}; wait for it to finish or give another folder");
            }

            if (new FileInfo($"/proc/self/fd/{descriptor}").LinkTarget?.EndsWith(" (deleted)", StringComparison.Ordinal) != true)
            {
                return (descriptor, path);
            }

            // Locked a file the run before us deleted as it ended: take the current one.
            _ = Close(descriptor);
        }
    }

    // The last holder deletes the file while it still holds it exclusively, then closes it (which unlocks).
    private static void Release((int Descriptor, string Path) held)
    {
        if (Flock(held.Descriptor, LockExclusive | LockNonBlocking) == 0)
        {
            try
            {
                File.Delete(held.Path);
            }
            catch (IOException)
            {
                // A lock file that stays is harmless: the next run takes it.
            }
            catch (UnauthorizedAccessException)
            {
                // As above.
            }
        }

        _ = Close(held.Descriptor);
    }

    private static int Open(string directory, string fileName)
    {
        var descriptor = OpenFile(Path.Combine(directory, fileName), OpenReadWrite | OpenCreate | OpenCloseOnExec, 0b110_100_100);
        if (descriptor < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            throw error == PermissionDenied
                ? new UnauthorizedAccessException($"output folder {directory} is not writable: permission denied")
                : new IOException($"output folder {directory} cannot be used: {fileName}: {Marshal.GetPInvokeErrorMessage(error)}");
        }

        return descriptor;
    }

    // False when another process holds a conflicting lock; a file system without flock runs unlocked.
    private static bool TryLock(int descriptor, int operation)
    {
        if (Flock(descriptor, operation | LockNonBlocking) == 0)
        {
            return true;
        }

        return Marshal.GetLastPInvokeError() != WouldBlock;
    }

    private static void WriteProcessId(int descriptor)
    {
        var text = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}\n"));
        _ = Truncate(descriptor, 0);
        _ = WriteAt(descriptor, text, text.Length, 0);
    }

    private static string HolderOf(int descriptor)
    {
        var buffer = new byte[32];
        var read = ReadAt(descriptor, buffer, buffer.Length, 0);
        var text = read > 0 ? Encoding.ASCII.GetString(buffer, 0, (int)read).Trim() : "";
        return text.Length > 0 ? text : "unknown";
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int OpenFile(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int descriptor, int operation);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    private static partial nint ReadAt(int descriptor, byte[] buffer, nint count, long offset);

    [LibraryImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    private static partial nint WriteAt(int descriptor, byte[] buffer, nint count, long offset);

    [LibraryImport("libc", EntryPoint = "ftruncate", SetLastError = true)]
    private static partial int Truncate(int descriptor, long length);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
