namespace Video2TfRecord.Options;

/// <summary>An option table's row whose words parse to a <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The parsed value's type.</typeparam>
public sealed class OptionDefinition<T> : OptionDefinition
{
    private readonly Func<string, T> _parse;

    internal OptionDefinition(string name, string description, OptionArity arity, T defaultValue, Func<string, T> parse)
        : base(name, description, arity)
    {
        ArgumentNullException.ThrowIfNull(parse);
        Default = defaultValue;
        _parse = parse;
    }

    /// <summary>The value when the option is not given.</summary>
    public T Default { get; }

    /// <summary>The value when the option is given without a word (<see cref="OptionArity.Flag"/>, <see cref="OptionArity.OptionalValue"/>).</summary>
    public T? Bare { get; init; }

    /// <summary>Parses one word.</summary>
    /// <exception cref="OptionException">The word is refused, in the option's own words.</exception>
    public T Parse(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return _parse(word);
    }

    /// <inheritdoc/>
    public override void Check(string word) => Parse(word);

    /// <summary>
    /// The value <paramref name="words"/> give this option: its default when not given, its bare value when given
    /// without a word, else the parse of its word.
    /// </summary>
    /// <exception cref="OptionException">A word is refused, missing, or one too many.</exception>
    public T ValueIn(OptionWords words)
    {
        ArgumentNullException.ThrowIfNull(words);
        if (!words.Contains(Name))
        {
            return Required ? throw new OptionException(Name, $"Option '{LongName}' is required.") : Default;
        }

        var given = words.Of(Name);
        return given.Count switch
        {
            0 when Arity is OptionArity.Flag or OptionArity.OptionalValue => Bare!,
            0 => throw new OptionException(Name, $"Required argument missing for option: '{LongName}'."),
            1 => Parse(given[0]),
            _ => throw new OptionException(Name, $"{LongName}: given {given.Count} times; give it once"),
        };
    }

    /// <summary>Every word given for a repeatable option, parsed, in order.</summary>
    /// <exception cref="OptionException">A word is refused.</exception>
    public IReadOnlyList<T> ValuesIn(OptionWords words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var given = words.Of(Name);
        var values = new T[given.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Parse(given[i]);
        }

        return values;
    }
}
