namespace Video2TfRecord.Tests.Fixtures;

/// <summary>The source tree the tests were built from (for examples/, scripts and packing).</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Video2TfRecord.slnx")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("the repository root (Video2TfRecord.slnx) is not above the test binaries");
    }
}
