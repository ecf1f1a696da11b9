using Video2TfRecord.Options;

namespace Video2TfRecord.Conversion.Inputs;

/// <summary>Which videos a run converts: paths, an input list, file-name patterns, and the order they are sharded in.</summary>
public sealed record InputOptions
{
    /// <summary>The seeds <c>--shuffle</c> takes: every 64-bit unsigned number.</summary>
    public static NumberRange ShuffleRange { get; } = new(0, ulong.MaxValue, Whole: true);

    /// <summary>Files and folders (walked recursively).</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>More inputs, one path per line (<c>--input-list</c>), or null.</summary>
    public InputList? List { get; init; }

    /// <summary>File-name globs (<c>*</c>, <c>?</c>) that replace the default video extensions when walking folders.</summary>
    public IReadOnlyList<string> Patterns { get; init; } = [];

    /// <summary>What to do with an input path that does not exist.</summary>
    public MissingInputPolicy MissingInput { get; init; } = MissingInputPolicy.Error;

    /// <summary>Permutes the catalog with this seed before sharding (class-sorted trees otherwise put one class per file).</summary>
    public ulong? ShuffleSeed { get; init; }

    /// <summary>
    /// Names the videos had before they were renamed, by relative path (<see cref="CatalogEntry.GivenName"/>): label and
    /// clips rows match them as they match relative paths. Set by the web service for its uploads; not part of the
    /// options fingerprint (the files and their relative paths are).
    /// </summary>
    internal IReadOnlyDictionary<string, string> GivenNames { get; init; } = new Dictionary<string, string>();

    /// <summary>Checks that there is something to convert.</summary>
    /// <exception cref="OptionException">No path and no input list.</exception>
    public void Validate()
    {
        if (Paths.Count == 0 && List is null)
        {
            throw new OptionException("input", "convert: give at least one input file or folder, or --input-list FILE");
        }
    }

    /// <summary>The values that shape the output, by option name.</summary>
    public IEnumerable<KeyValuePair<string, string>> Describe()
    {
        yield return new("pattern", string.Join(" ", Patterns));
        yield return new("shuffle", ShuffleSeed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");
        yield return new("missing-input", OptionWord.Of(MissingInput));
    }
}
