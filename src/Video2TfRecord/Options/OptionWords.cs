namespace Video2TfRecord.Options;

/// <summary>
/// The words a user gave for each option, by long name without dashes, in the order given: what every front end (the
/// command line, the web service's form fields, the Python package's keyword arguments) hands to an option table.
/// Options that were not given are absent, so the table's defaults and implications apply to them.
/// </summary>
public sealed class OptionWords
{
    private readonly Dictionary<string, List<string>> _words = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>The names given, in the order they first appeared.</summary>
    public IReadOnlyList<string> Names => _order;

    /// <summary>Records that the option <paramref name="name"/> was given, with <paramref name="word"/> after it (null: none).</summary>
    /// <param name="name">The long name without dashes (<c>frames</c>).</param>
    /// <param name="word">The word given after it, or null for a bare option (<c>--overwrite</c>).</param>
    /// <returns>This instance, to chain calls.</returns>
    public OptionWords Add(string name, string? word = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_words.TryGetValue(name, out var words))
        {
            words = [];
            _words.Add(name, words);
            _order.Add(name);
        }

        if (word is not null)
        {
            words.Add(word);
        }

        return this;
    }

    /// <summary>Whether the option was given at all.</summary>
    public bool Contains(string name) => _words.ContainsKey(name);

    /// <summary>The words given after the option, in order; empty when it was bare or not given.</summary>
    public IReadOnlyList<string> Of(string name) => _words.TryGetValue(name, out var words) ? words : [];
}
