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

    // Made under a lock (another test run may want the same venv at the same time) and marked complete last, so a run
    // killed half way leaves a venv the next run makes again.
    private static string SharedVenv()
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, "venv");
        using var held = Lock(folder + ".lock");
        var (python, complete) = (System.IO.Path.Combine(folder, "bin", "python"), System.IO.Path.Combine(folder, ".complete"));
        if (!File.Exists(complete))
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            Install(folder);
            File.WriteAllText(complete, string.Empty);
        }

        return python;
    }

    // An exclusive lock on the file (FileShare.None is a flock on Linux), waited for up to ten minutes.
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

    // Besides the entry in use (touched on every use), the cache keeps the three used last and any used within the
    // hour (another test run may be using it); the others go: each is a wheel of about 95 MB and its venv of 240 MB.
    private static void Prune(string current)
    {
        Directory.SetLastWriteTimeUtc(current, DateTime.UtcNow);
        var old = Directory.EnumerateDirectories(CacheRoot)
            .Where(entry => entry != current)
            .OrderByDescending(Directory.GetLastWriteTimeUtc)
            .Skip(3)
            .Where(entry => Directory.GetLastWriteTimeUtc(entry) < DateTime.UtcNow - TimeSpan.FromHours(1));
        foreach (var entry in old)
        {
            try
            {
                Directory.Delete(entry, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another test run is deleting it too; the next run tries again.
            }
        }
    }

    private static string Build()
    {
        var cache = System.IO.Path.Combine(CacheRoot, ContentHash());
        if (Directory.Exists(cache) && Directory.GetFiles(cache, "*.whl") is [var cached])
        {
            Prune(cache);
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

        Prune(cache);
        return Directory.GetFiles(cache, "*.whl").Single();
    }
}
