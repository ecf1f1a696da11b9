using System.Runtime.InteropServices;
using Video2TfRecord.Conversion.Inputs;
using Video2TfRecord.Conversion.Remote;

namespace Video2TfRecord.Conversion.Annotations;

/// <summary>
/// Finds the video an annotation row names (labels, clips): by relative path (after <c>\</c> → <c>/</c>), else (an
/// absolute path) by full path, else by file name, else by file name without extension, all ordinal. The indexes
/// other than relative paths are built on first need, so tables of relative paths never pay for them. A video with a
/// <see cref="CatalogEntry.GivenName"/> (an upload the web service renamed) is also found by that name, by the same rules.
/// </summary>
internal sealed class VideoMatcher
{
    private readonly IReadOnlyList<CatalogEntry> _catalog;
    private readonly Dictionary<string, Candidates> _byPath;
    private Dictionary<string, Candidates>? _byFullPath;
    private Dictionary<string, Candidates>? _byName;
    private Dictionary<string, Candidates>? _byStem;

    public VideoMatcher(IReadOnlyList<CatalogEntry> catalog)
    {
        _catalog = catalog;
        _byPath = Index(catalog, entry => entry.RelativePath, given => given);
    }

    /// <summary>
    /// The catalog position of the video <paramref name="key"/> names most precisely, or −1 when none is named.
    /// </summary>
    /// <param name="key">The row's value with <c>\</c> turned into <c>/</c>.</param>
    /// <param name="precision">How it matched.</param>
    /// <param name="ambiguity">When the key names two videos equally well: a message naming both (then the result is −1).</param>
    public int Find(string key, out MatchPrecision precision, out string? ambiguity)
    {
        ambiguity = null;
        if (!TryFind(key, out var candidates, out precision))
        {
            return -1;
        }

        if (candidates.Second != Candidates.None)
        {
            ambiguity = $"'{key}' matches more than one video by {Describe(precision)} ({_catalog[candidates.First].RelativePath} and {_catalog[candidates.Second].RelativePath}); write the video's relative path instead";
            return -1;
        }

        return candidates.First;
    }

    /// <summary>How a precision is written in messages.</summary>
    public static string Describe(MatchPrecision precision) => precision switch
    {
        MatchPrecision.RelativePath => "relative path",
        MatchPrecision.FullPath => "full path",
        MatchPrecision.FileName => "file name",
        _ => "file name without extension",
    };

    private bool TryFind(string key, out Candidates candidates, out MatchPrecision precision)
    {
        precision = MatchPrecision.RelativePath;
        if (_byPath.TryGetValue(key, out candidates))
        {
            return true;
        }

        // ./videos/a.mp4 and videos//a.mp4 name videos/a.mp4, as a shell would read them.
        if (!RunStorage.IsRemote(key) && !Path.IsPathRooted(key) && Tidy(key) is var tidy && tidy != key && _byPath.TryGetValue(tidy, out candidates))
        {
            return true;
        }

        // An absolute path, as lists made with find(1) or by other tools hold them.
        precision = MatchPrecision.FullPath;
        // Or an object's s3://bucket/key, as lists made with `aws s3 ls` hold them (compared as written).
        _byFullPath ??= Index(_catalog, entry => RunStorage.IsRemote(entry.FullPath) ? entry.FullPath : Path.GetFullPath(entry.FullPath), given: null);
        if ((RunStorage.IsRemote(key) || Path.IsPathRooted(key)) && _byFullPath.TryGetValue(RunStorage.IsRemote(key) ? key : Path.GetFullPath(key), out candidates))
        {
            return true;
        }

        precision = MatchPrecision.FileName;
        _byName ??= Index(_catalog, entry => Path.GetFileName(entry.RelativePath), Path.GetFileName);
        if (_byName.TryGetValue(key, out candidates))
        {
            return true;
        }

        precision = MatchPrecision.Stem;
        _byStem ??= Index(_catalog, entry => Path.GetFileNameWithoutExtension(entry.RelativePath), Path.GetFileNameWithoutExtension);
        return _byStem.TryGetValue(key, out candidates);
    }

    // A relative path without empty and '.' segments ('..' stays: it would leave the input folder).
    private static string Tidy(string key) => string.Join('/', key.Split('/').Where(part => part.Length > 0 && part != "."));

    /// <summary>
    /// The catalog positions of the videos, keyed by <paramref name="keyOf"/>, and by <paramref name="given"/> of their
    /// given names (with <c>/</c> separators) where they have one.
    /// </summary>
    private static Dictionary<string, Candidates> Index(IReadOnlyList<CatalogEntry> catalog, Func<CatalogEntry, string> keyOf, Func<string, string>? given)
    {
        var index = new Dictionary<string, Candidates>(catalog.Count, StringComparer.Ordinal);
        for (var i = 0; i < catalog.Count; i++)
        {
            Add(index, keyOf(catalog[i]), i);
            if (given is not null && catalog[i].GivenName is { } name)
            {
                Add(index, given(name.Replace('\\', '/')), i);
            }
        }

        return index;
    }

    private static void Add(Dictionary<string, Candidates> index, string key, int position)
    {
        ref var candidates = ref CollectionsMarshal.GetValueRefOrAddDefault(index, key, out var exists);
        if (!exists)
        {
            candidates = new Candidates(position, Candidates.None);
        }
        else if (candidates.Second == Candidates.None && candidates.First != position)
        {
            // One video under its own name and its given name is one candidate, not two.
            candidates = candidates with { Second = position };
        }
    }

    /// <summary>The catalog positions of the first two videos that share a key: a second one makes a row with that key ambiguous.</summary>
    private readonly record struct Candidates(int First, int Second)
    {
        public const int None = -1;
    }
}

/// <summary>How a row matched a video, most precise first.</summary>
internal enum MatchPrecision
{
    RelativePath,
    FullPath,
    FileName,
    Stem,
}
