using Video2TfRecord.Storage;

namespace Video2TfRecord.Conversion.Remote;

/// <summary>
/// What an <c>s3://</c> input of a run names, in the catalog's terms: one object named exactly (a file argument), or
/// the objects under it taken as a folder's files, each with its path below the input.
/// </summary>
internal sealed class RemoteListing
{
    private RemoteListing(string name, RemoteVideo? single, IReadOnlyList<(string RelativePath, RemoteVideo Video)> under)
    {
        Name = name;
        Single = single;
        Under = under;
    }

    /// <summary>The input's last part: the name of the object it names, and of the entry a missing input keeps.</summary>
    public string Name { get; }

    /// <summary>The object the input names exactly, or null when the input is a prefix.</summary>
    public RemoteVideo? Single { get; }

    /// <summary>The objects under the input as a folder (none when <see cref="Single"/> is set), in key order, with their paths below it (<c>/</c> separators, maybe empty or ending in <c>/</c> for a folder's own marker).</summary>
    public IReadOnlyList<(string RelativePath, RemoteVideo Video)> Under { get; }

    /// <summary>The listing of <paramref name="input"/> from the objects the store gave for it: the one whose key is the input's, or those under it.</summary>
    /// <exception cref="FormatException"><paramref name="input"/> is not an <c>s3://</c> location.</exception>
    public static RemoteListing Of(string input, IReadOnlyList<StoredObject> listed)
    {
        var location = S3Location.Parse(input);
        if (listed is [var single] && single.Location.Key == location.Key)
        {
            return new RemoteListing(single.Location.Name, new RemoteVideo(single), []);
        }

        var folder = location.AsFolder().Key;
        return new RemoteListing(location.Name, null, listed.Select(stored => (stored.Location.Key[folder.Length..], new RemoteVideo(stored))).ToList());
    }
}
