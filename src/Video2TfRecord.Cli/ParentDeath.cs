using System.Globalization;
using System.Runtime.InteropServices;

namespace Video2TfRecord.Cli;

/// <summary>
/// A converter started by a program that names itself in <see cref="Variable"/> (the Python package does) is sent SIGTERM
/// by the kernel when that program dies, even by SIGKILL (a notebook kernel restarted, an OOM kill), and stops as on any
/// SIGTERM: finished files kept, <c>--resume</c> continues. Without it the converter ran on alone, writing into a run
/// nobody followed.
/// </summary>
internal static partial class ParentDeath
{
    /// <summary>The environment variable holding the starting program's process id.</summary>
    public const string Variable = "VIDEO2TFRECORD_PARENT_PID";

    private const int SetParentDeathSignal = 1; // PR_SET_PDEATHSIG
    private const int Terminate = 15; // SIGTERM
    private const int NoSuchProcess = 3; // ESRCH

    /// <summary>
    /// Asks for SIGTERM at the parent's death when <see cref="Variable"/> names a process; called first thing on the main
    /// thread (the kernel keeps the request with the calling thread, which lives as long as the process). The variable
    /// is removed, so that programs this one starts are not tied to a process that is not theirs.
    /// </summary>
    public static void Arm()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(Variable) is not { } text)
        {
            return;
        }

        Environment.SetEnvironmentVariable(Variable, null);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parent) || SetDeathSignal(SetParentDeathSignal, Terminate) != 0)
        {
            return;
        }

        // The named program may have died before the request: then no signal comes, and this one sends it. A parent that
        // is another process (a wrapper that does not exec, timeout, srun) is the one watched; the named one alive, the
        // run goes on.
        if (ParentId() != parent && Kill(parent, 0) != 0 && Marshal.GetLastPInvokeError() == NoSuchProcess)
        {
            _ = Kill(Environment.ProcessId, Terminate);
        }
    }

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int SetDeathSignal(int option, ulong signal);

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int ParentId();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int process, int signal);
}
