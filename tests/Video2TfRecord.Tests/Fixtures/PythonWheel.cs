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

    private static readonly Lazy<string> Shared = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("v2t-venv-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
        return Install(System.IO.Path.Combine(folder, "venv"));
    });

    /// <summary>The python of one venv per test run with the wheel installed, for the tests that only call the package.</summary>
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

    private static string Build()
    {
        var cache = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "v2t-wheels", ContentHash());
        if (Directory.Exists(cache) && Directory.GetFiles(cache, "*.whl") is [var cached])
        {
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

        return Directory.GetFiles(cache, "*.whl").Single();
    }
}
