using System.Reflection;
using System.Runtime.InteropServices;
using SQLitePCL;

namespace Video2TfRecord.Server.Jobs;

/// <summary>
/// Points Microsoft.Data.Sqlite at the system's SQLite (<c>libsqlite3.so.0</c>, Debian's and Ubuntu's
/// <c>libsqlite3-0</c>) rather than a bundled copy: the copy SQLitePCLRaw ships is built against glibc 2.33 and does
/// not load on Debian 11, while every release has its own SQLite. Only the runtime package's soname is on a machine
/// without the <c>-dev</c> package, so the name <c>sqlite3</c> is resolved to it here.
/// </summary>
internal static class SystemSqlite
{
    private static readonly string[] Sonames = ["libsqlite3.so.0", "libsqlite3.so"];
    private static readonly Lazy<bool> Ready = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Sets the provider once per process; throws with the package to install when no SQLite loads.</summary>
    public static void EnsureReady() => _ = Ready.Value;

    private static bool Initialize()
    {
        var provider = typeof(SQLite3Provider_sqlite3).Assembly;
        NativeLibrary.SetDllImportResolver(provider, Resolve);
        if (Resolve("sqlite3", provider, null) == IntPtr.Zero)
        {
            throw new InvalidOperationException(
                $"the web service keeps its jobs in SQLite, and no SQLite library loads (looked for {string.Join(", ", Sonames)}): install it with 'apt-get install libsqlite3-0'");
        }

        raw.SetProvider(new SQLite3Provider_sqlite3());
        return true;
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != "sqlite3")
        {
            return IntPtr.Zero;
        }

        foreach (var soname in Sonames)
        {
            if (NativeLibrary.TryLoad(soname, out var handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero;
    }
}
