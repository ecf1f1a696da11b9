using System.Security.Cryptography;
using System.Text;

namespace Video2TfRecord.Tests.Fixtures;

/// <summary>
/// The Python wheel scripts/build-wheel.sh makes, built once per content of what goes into it (python/, src/, the build
/// script and the build settings) and kept in the temp folder, so a test run after a change that does not touch them
/// reuses it; and venvs of Debian's python3 with it installed by pip, as a user would.
/// </summary>
public static class PythonWheel
{
    private static readonly Lazy<string> Built = new(Build);

    private static readonly Lazy<string> Shared = new(SharedVenv);

    /// <summary>
    /// The python of the venv kept beside the cached wheel, for the tests that only call the package (none changes what
    /// is installed): made by the first test run of that content and reused by the next ones. (A venv per test run,
    /// deleted at process exit, stayed behind whenever the test host was ended without running exit handlers: 240 MB
    /// each.)
    /// </summary>
    public static string SharedPython => Shared.Value;

    /// <summary>The wheel's path (built on first use in this test run, or taken from the cache).</summary>
    public static string Path => Built.Value;

    /// <summary>A fresh venv (with Debian's packages visible: numpy, Pillow, torch, tqdm) in <paramref name="folder"/>, the wheel installed with <c>pip install --no-index</c>.</summary>
    /// <returns>The venv's python.</returns>
    public static string Install(string folder)
    {
        var venv = CliProcess.RunProgram("/usr/bin/python3", "-m", "venv", "--system-site-packages", folder);
        Assert.True(venv.ExitCode == 0, venv.Error);
        var python = System.IO.Path.Combine(folder, "bin", "python");
        var pip = CliProcess.RunProgram(python, "-m", "pip", "install", "--no-index", "--no-cache-dir", "--disable-pip-version-check", "--quiet", Path);
        Assert.True(pip.ExitCode == 0, pip.Output + pip.Error);
        return python;
    }

    /// <summary>A hash of every file the wheel is made from.</summary>
    public static string ContentHash()
    {
        var root = Repository.Root;
        var files = Directory.EnumerateFiles(System.IO.Path.Combine(root, "python"), "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(System.IO.Path.Combine(root, "src"), "*", SearchOption.AllDirectories))
            .Concat(new[] { "scripts/build-wheel.sh", "Directory.Build.props", "Directory.Packages.props", "global.json" }.Select(f => System.IO.Path.Combine(root, f)))
            .Select(f => System.IO.Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part is "bin" or "obj" or "__pycache__"))
            .Order(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file + "\n"));
            hash.AppendData(File.ReadAllBytes(System.IO.Path.Combine(root, file)));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    private static string CacheRoot => System.IO.Path.Combine(System.IO.Path.GetTempPath(), "v2t-wheels");

    // The entry this test run uses, held for the life of the process: a shared lock on its in-use file (on Linux a
    // FileStream takes flock: LOCK_SH when opened for reading with a shared FileShare, LOCK_EX with FileShare.None),
    // which HoldAndPrune of another test run tests before it deletes an entry. The kernel drops it when the process
    // ends, however it ends.
    private static FileStream? _inUse;

    // Made under a lock (another test run may want the same venv at the same time) and marked complete last with the
    // version of the python it was made from, so a run killed half way, or a python upgraded since, leaves a venv the
    // next run makes again.
    private static string SharedVenv()
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, "venv");
        using var held = Lock(folder + ".lock");
        var (python, complete) = (System.IO.Path.Combine(folder, "bin", "python"), System.IO.Path.Combine(folder, ".complete"));
        var version = CliProcess.RunProgram("/usr/bin/python3", "--version").Output.Trim();
        if (!File.Exists(complete) || File.ReadAllText(complete) != version)
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            Install(folder);
            File.WriteAllText(complete, version);
        }

        return python;
    }

    // An exclusive lock on the file, waited for up to ten minutes.
    private static FileStream Lock(string file)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(file, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
        }
    }

    // Holds the entry for this test run, then deletes the entries no test run holds, except the three used last: each
    // is a wheel of about 100 MB and its venv of 240 MB. Folders of wheels still being built are left alone.
    private static void HoldAndPrune(string current)
    {
        _inUse ??= new FileStream(System.IO.Path.Combine(current, "in-use"), FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Directory.SetLastWriteTimeUtc(current, DateTime.UtcNow);
        var old = Directory.EnumerateDirectories(CacheRoot)
            .Where(entry => entry != current && !entry.Contains(".partial-", StringComparison.Ordinal))
            .OrderByDescending(Directory.GetLastWriteTimeUtc)
            .Skip(3);
        foreach (var entry in old)
        {
            try
            {
                using var unused = new FileStream(System.IO.Path.Combine(entry, "in-use"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                Directory.Delete(entry, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another test run holds it, or is deleting it too.
            }
        }
    }

    private static string Build()
    {
        var cache = System.IO.Path.Combine(CacheRoot, ContentHash());
        if (Directory.Exists(cache) && Directory.GetFiles(cache, "*.whl") is [var cached])
        {
            HoldAndPrune(cache);
            return cached;
        }

        var partial = cache + ".partial-" + Guid.NewGuid().ToString("N");
        var run = CliProcess.RunProgramWith(new Dictionary<string, string> { ["WHEEL_DIR"] = partial }, Repository.Combine("scripts", "build-wheel.sh"));
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        try
        {
            Directory.Move(partial, cache);
        }
        catch (IOException) when (Directory.Exists(cache))
        {
            // Another test run built the same content at the same time: either copy will do.
            Directory.Delete(partial, recursive: true);
        }

        HoldAndPrune(cache);
        return Directory.GetFiles(cache, "*.whl").Single();
    }
}
