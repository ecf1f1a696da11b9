using Video2TfRecord.Conversion.Annotations;
using Video2TfRecord.Conversion.Remote;

namespace Video2TfRecord.Conversion.Inputs;

/// <summary>One video to convert, or one clip of it.</summary>
/// <param name="FullPath">Absolute path of the file, or its <c>s3://bucket/key</c>.</param>
/// <param name="RelativePath">Path below the folder argument it was found under (a file argument: its name), with <c>/</c> separators.</param>
public sealed record CatalogEntry(string FullPath, string RelativePath)
{
    /// <summary>
    /// The stable id stored in records, unique in a run: <see cref="RelativePath"/> without its extension, or with it
    /// when another video of the run has the same path but another extension (<c>a/b.avi</c> and <c>a/b.mp4</c>).
    /// </summary>
    public string Id { get; init; } = Stem(RelativePath);

    /// <summary>The object an <c>s3://</c> entry is, as listed (size, time, ETag); null for a local file.</summary>
    internal RemoteVideo? Remote { get; init; }

    /// <summary>The clip of the video this entry converts, or null for the whole video.</summary>
    internal ClipSpec? Clip { get; init; }

    /// <summary>
    /// The name the video had where it came from, when the file was renamed on the way (the web service stores an upload
    /// named <c>vidéo 01.mp4</c> as <c>vid_o_01.mp4</c>); annotation rows may name it by either. Null: only its own name.
    /// </summary>
    internal string? GivenName { get; init; }

    /// <summary>The id of the video the clip is cut from (its <see cref="Id"/> before it became the clip's), or null for a whole video.</summary>
    public string? SourceId { get; init; }

    /// <summary>The split the record belongs to (a split column), or null when the run has no splits.</summary>
    public string? Split { get; init; }

    /// <summary>This entry as clip <paramref name="clip"/> of its video, with the clip's id.</summary>
    internal CatalogEntry AsClip(ClipSpec clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        return this with { Clip = clip, SourceId = Id, Id = ClipSpec.Id(Id, clip.Window) };
    }

    /// <summary><paramref name="relativePath"/> without the extension of its file name.</summary>
    public static string Stem(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var slash = relativePath.LastIndexOf('/');
        var dot = relativePath.LastIndexOf('.');
        return dot > slash + 1 ? relativePath[..dot] : relativePath;
    }
}
