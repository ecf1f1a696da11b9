namespace Video2TfRecord.Tests.Fixtures;

/// <summary>A tmpfs of a few hundred KiB mounted over a test folder (tests run as root), detached on dispose.</summary>
public sealed class SmallDisk : IDisposable
{
    private readonly string _path;

    public SmallDisk(string path, string size)
    {
        _path = path;
        ExternalProgram.Run("mount", ["-t", "tmpfs", "-o", $"size={size}", "tmpfs", path]);
    }

    public void Resize(string size) => ExternalProgram.Run("mount", ["-o", $"remount,size={size}", _path]);

    /// <summary>Takes every free block with a file of zeros (at most 4 MiB, so a disk that never fills fails the test).</summary>
    public void Fill()
    {
        using var filler = new FileStream(Path.Combine(_path, "filler"), FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        var block = new byte[4096];
        for (var i = 0; i < 1024; i++)
        {
            try
            {
                filler.Write(block);
            }
            catch (IOException)
            {
                return;
            }
        }

        throw new InvalidOperationException($"{_path} did not fill up");
    }

    public void Dispose() => ExternalProgram.Run("umount", ["-l", _path]);
}
