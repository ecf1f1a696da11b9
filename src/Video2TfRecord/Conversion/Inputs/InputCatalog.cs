using System.Globalization;
using System.IO.Enumeration;
using System.Security.Cryptography;
using System.Text;
using Video2TfRecord.Conversion.Remote;

namespace Video2TfRecord.Conversion.Inputs;

/// <summary>
/// Turns the inputs of a run (files and folders) into the sorted list of videos to convert, with their relative paths.
/// </summary>
internal static partial class InputCatalog
{
    /// <summary>Extensions taken from folders when no pattern is given (case-insensitive).</summary>
    public static IReadOnlyList<string> DefaultExtensions { get; } =
        ["mp4", "m4v", "mov", "avi", "mkv", "webm", "mpg", "mpeg", "ts", "wmv", "flv", "3gp"];

    /// <summary>
    /// Walks the inputs: folders recursively (hidden entries skipped; symlinked folders followed, except one that leads
    /// back to a folder it is inside, found by device and inode), keeping files whose name matches a pattern, or a default
    /// video extension when there are no patterns; files named explicitly are always taken. The result is sorted by
    /// relative path (ordinal) with exact duplicates dropped.
    /// </summary>
    /// <param name="inputs">Files and folders.</param>
    /// <param name="patterns">File-name globs that replace the default extensions.</param>
    /// <param name="notes">Receives what the walk did that a user should know (symlinked folders followed, loops skipped).</param>
    /// <param name="missing">An input that does not exist: refuse the run, or keep it as a file (its conversion then fails).</param>
    /// <exception cref="OptionException">An input does not exist (unless skipped), nothing matched, or two files share a relative path.</exception>
    public static IReadOnlyList<CatalogEntry> Build(IReadOnlyList<string> inputs, IReadOnlyList<string> patterns, ICollection<string>? notes = null,
        MissingInputPolicy missing = MissingInputPolicy.Error) => Build(inputs, patterns, notes, missing, (IReadOnlyDictionary<string, RemoteListing>?)null);

    /// <summary>
    /// <see cref="Build(IReadOnlyList{string}, IReadOnlyList{string}, ICollection{string}?, MissingInputPolicy)"/> with
    /// <c>s3://</c> inputs: for each, what it lists (<see cref="RunStorage.InputListings"/>): an object named exactly is a
    /// file argument; else the input is a folder, and its objects are taken by the same filters and relative-path rules
    /// as a folder's files.
    /// </summary>
    internal static IReadOnlyList<CatalogEntry> Build(IReadOnlyList<string> inputs, IReadOnlyList<string> patterns, ICollection<string>? notes,
        MissingInputPolicy missing, IReadOnlyDictionary<string, RemoteListing>? listings)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(patterns);
        var byRelative = new Dictionary<string, CatalogEntry>(StringComparer.Ordinal);
        var walk = new WalkNotes();
        foreach (var input in inputs)
        {
            if (listings?.GetValueOrDefault(input) is { } listed)
            {
                AddListed(byRelative, input, listed, patterns, missing);
                continue;
            }

            var full = Path.GetFullPath(input);
            if (File.Exists(full))
            {
                Add(byRelative, new CatalogEntry(full, Path.GetFileName(full)));
            }
            else if (Directory.Exists(full))
            {
                Walk(full, full, patterns, byRelative, [Storage.FileKind.Id(full)], walk);
            }
            else if (missing == MissingInputPolicy.Skip)
            {
                // Kept as a file: the run lists it as failed ("the file does not exist") and converts the rest.
                Add(byRelative, new CatalogEntry(full, Path.GetFileName(full)));
            }
            else
            {
                throw new OptionException("input", $"input not found: {input} (--missing-input skip lists it as failed and converts the rest)");
            }
        }

        if (byRelative.Count == 0)
        {
            var filter = patterns.Count > 0
                ? "matching " + string.Join(", ", patterns.Select(p => $"'{p}'"))
                : "with a video extension (" + string.Join(" ", DefaultExtensions) + ")";
            throw new OptionException("input", $"no videos found in {string.Join(", ", inputs)}: no file {filter}");
        }

        if (walk.Followed > 0)
        {
            notes?.Add(string.Create(CultureInfo.InvariantCulture, $"followed {walk.Followed} symlinked folders"));
        }

        foreach (var loop in walk.Loops)
        {
            notes?.Add($"not following {loop}: it leads back to a folder it is inside (a symlink loop)");
        }

        var entries = byRelative.Values.ToList();
        entries.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return UniqueIds(entries);
    }

    /// <summary>
    /// Gives videos whose paths differ only in the extension (<c>a/b.avi</c>, <c>a/b.mp4</c>) their relative path as id,
    /// so every id of a run names one video; refuses the run in the one case that cannot resolve (an id that is then
    /// still taken, as <c>a/b.avi</c> by <c>a/b.avi.mkv</c>).
    /// </summary>
    /// <exception cref="OptionException">Two videos would still share an id.</exception>
    public static IReadOnlyList<CatalogEntry> UniqueIds(IReadOnlyList<CatalogEntry> catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var shared = catalog.GroupBy(e => e.Id, StringComparer.Ordinal).Where(g => g.Skip(1).Any()).SelectMany(g => g).ToHashSet();
        var entries = catalog.Select(e => shared.Contains(e) ? e with { Id = e.RelativePath } : e).ToList();
        var byId = new Dictionary<string, CatalogEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!byId.TryAdd(entry.Id, entry))
            {
                throw new OptionException("input",
                    $"two videos would get the id '{entry.Id}': {byId[entry.Id].FullPath} and {entry.FullPath}; rename one of them or leave one out with --pattern");
            }
        }

        return entries;
    }

    /// <summary>
    /// The inputs plus those of an input list: one path per line (blank lines and lines starting with <c>#</c> are
    /// skipped; surrounding spaces are removed), relative paths taken from the current folder as on the command line.
    /// A line starting with <c>\</c> is the rest of the line exactly, so <c>\#take.mp4</c>, <c>\ lead.mp4</c> and
    /// <c>\\x.mp4</c> name <c>#take.mp4</c>, <c> lead.mp4</c> and <c>\x.mp4</c>. The caller reads the list (a file, or
    /// its standard input).
    /// </summary>
    /// <param name="inputs">The paths given as arguments.</param>
    /// <param name="list">The input list, or null.</param>
    /// <param name="missing">What a listed path that does not exist does: refuse the run, or stay as a video that fails.</param>
    /// <exception cref="OptionException">The list names a path that does not exist (with its line) and <paramref name="missing"/> is error.</exception>
    public static IReadOnlyList<string> WithList(IReadOnlyList<string> inputs, InputList? list, MissingInputPolicy missing = MissingInputPolicy.Error)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (list is null)
        {
            return inputs;
        }

        var all = new List<string>(inputs);
        var number = 0;
        foreach (var line in list.Lines)
        {
            number++;
            var literal = line.StartsWith('\\');
            var path = literal ? line[1..] : line.Trim();
            if (!literal && (path.Length == 0 || path.StartsWith('#')))
            {
                continue;
            }

            // s3:// lines are looked up with the other s3:// inputs, under the same policy.
            if (missing == MissingInputPolicy.Error && !RunStorage.IsRemote(path) && !File.Exists(path) && !Directory.Exists(path))
            {
                throw new OptionException("input", string.Create(CultureInfo.InvariantCulture, $"--input-list {list.Name}, line {number}: input not found: {path}"));
            }

            all.Add(path);
        }

        // Else the catalog would say "no videos found in : …", naming nothing.
        if (all.Count == 0)
        {
            throw new OptionException("input", $"--input-list {list.Name} names no input (it holds no path, only blank or comment lines) and no input argument is given");
        }

        return all;
    }

    /// <summary>
    /// The catalog permuted by <paramref name="seed"/>: Fisher–Yates from the last position down, swapping position
    /// i with j = r mod (i + 1), r the next SplitMix64 output of a generator started at the seed. The same seed and
    /// videos give the same order on every machine and version.
    /// </summary>
    public static IReadOnlyList<CatalogEntry> Shuffle(IReadOnlyList<CatalogEntry> catalog, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var entries = catalog.ToArray();
        var state = seed;
        for (var i = entries.Length - 1; i > 0; i--)
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            var j = (int)(z % (ulong)(i + 1));
            (entries[i], entries[j]) = (entries[j], entries[i]);
        }

        return entries;
    }

    /// <summary>Whether a file name passes the filter: any pattern, or a default extension when there are none.</summary>
    public static bool Matches(string fileName, IReadOnlyList<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        if (patterns.Count == 0)
        {
            var extension = Path.GetExtension(fileName).TrimStart('.');
            return DefaultExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase);
        }

        foreach (var pattern in patterns)
        {
            if (FileSystemName.MatchesSimpleExpression(pattern, fileName, ignoreCase: true))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// SHA-256 over every entry's relative path, size and modification time, in catalog order: equal fingerprints
    /// mean the same videos, unchanged, which is what <c>--resume</c> requires.
    /// </summary>
    public static string Fingerprint(IReadOnlyList<CatalogEntry> catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var entry in catalog)
        {
            var file = new FileInfo(entry.FullPath);
            var size = entry.Remote?.Size ?? (file.Exists ? file.Length : -1);
            var ticks = entry.Remote?.LastModifiedUtc.Ticks ?? (file.Exists ? file.LastWriteTimeUtc.Ticks : 0);
            hash.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{entry.RelativePath}\0{size}\0{ticks}\n")));
        }

        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    // An s3:// input: the object it names, or the objects under it as a folder's files (hidden segments skipped).
    private static void AddListed(Dictionary<string, CatalogEntry> byRelative, string input, RemoteListing listed, IReadOnlyList<string> patterns,
        MissingInputPolicy missing)
    {
        if (listed.Single is { } single)
        {
            Add(byRelative, new CatalogEntry(single.Url, listed.Name) { Remote = single });
            return;
        }

        if (listed.Under.Count == 0)
        {
            if (missing == MissingInputPolicy.Skip)
            {
                Add(byRelative, new CatalogEntry(input, listed.Name));
                return;
            }

            throw new OptionException("input", $"input not found: {input} (no object has that key or lies under it)");
        }

        foreach (var (relative, video) in listed.Under)
        {
            if (relative.Length == 0 || relative.EndsWith('/') || relative.Split('/').Any(part => part.StartsWith('.')) || !Matches(relative[(relative.LastIndexOf('/') + 1)..], patterns))
            {
                continue;
            }

            Add(byRelative, new CatalogEntry(video.Url, relative) { Remote = video });
        }
    }

    // The folders being walked, from the input down (device and inode, so a symlink back into them is seen whatever
    // path it takes), and what the walk tells the user.
    private static void Walk(string root, string folder, IReadOnlyList<string> patterns, Dictionary<string, CatalogEntry> byRelative,
        List<(ulong Device, ulong Inode)?> above, WalkNotes notes)
    {
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            if (entry.Name.StartsWith('.'))
            {
                continue;
            }

            if (entry is DirectoryInfo directory)
            {
                var id = Storage.FileKind.Id(directory.FullName);
                if (id is not null && above.Contains(id))
                {
                    notes.Loops.Add(directory.FullName);
                    continue;
                }

                if (directory.LinkTarget is not null)
                {
                    if (id is null)
                    {
                        // A dangling link: nothing to walk.
                        continue;
                    }

                    notes.Followed++;
                }

                above.Add(id);
                Walk(root, directory.FullName, patterns, byRelative, above, notes);
                above.RemoveAt(above.Count - 1);
            }
            else if (Matches(entry.Name, patterns))
            {
                // Only the platform's separator becomes '/': on Linux a backslash is part of a file name and stays in the id.
                var relative = Path.GetRelativePath(root, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
                Add(byRelative, new CatalogEntry(entry.FullName, relative));
            }
        }
    }

    private sealed class WalkNotes
    {
        public int Followed { get; set; }

        public List<string> Loops { get; } = [];
    }

    private static void Add(Dictionary<string, CatalogEntry> byRelative, CatalogEntry entry)
    {
        if (byRelative.TryGetValue(entry.RelativePath, out var existing))
        {
            if (string.Equals(existing.FullPath, entry.FullPath, StringComparison.Ordinal))
            {
                return;
            }

            throw new OptionException("input",
                $"two inputs have the same relative path '{entry.RelativePath}': {existing.FullPath} and {entry.FullPath}; give their parent folder instead");
        }

        byRelative.Add(entry.RelativePath, entry);
    }
}
