using System.Globalization;
using System.Numerics;

namespace Video2TfRecord.Options;

/// <summary>
/// One row of an option table: an option's name, what it takes, its default, its help and how its words parse, with the
/// messages a user sees. Every front end builds its options from these rows, so the command line's <c>--help</c>, the
/// web service's fields and the Python package's keyword arguments mean the same thing in the same words.
/// </summary>
public abstract class OptionDefinition
{
    private protected OptionDefinition(string name, string description, OptionArity arity)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(description);
        Name = name;
        Description = description;
        Arity = arity;
    }

    /// <summary>The long name without dashes (<c>videos-per-file</c>): the form field's and, with <c>_</c> for <c>-</c>, the keyword's name.</summary>
    public string Name { get; }

    /// <summary>The option as typed: <c>--</c> and the name.</summary>
    public string LongName => "--" + Name;

    /// <summary>A one-letter alias without its dash (<c>o</c> for <c>-o</c>), or null.</summary>
    public string? ShortName { get; init; }

    /// <summary>What the option does, in the words of <c>--help</c>.</summary>
    public string Description { get; }

    /// <summary>How many words it takes.</summary>
    public OptionArity Arity { get; }

    /// <summary>Whether a run cannot start without it (<c>--output</c>).</summary>
    public bool Required { get; init; }

    /// <summary>The default as a user would type it (<c>32</c>, <c>train</c>), or null where there is none to show.</summary>
    public string? DefaultText { get; init; }

    /// <summary>The words the option accepts when they are a fixed set (<c>centered</c>, <c>linspace</c>, …); empty otherwise.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>The placeholder shown after the name in help (<c>optional|required</c>), or null for the name itself.</summary>
    public string? HelpName { get; init; }

    /// <summary>Whether the front end acts on it itself (<c>--dry-run</c>, <c>--quiet</c>) rather than the conversion.</summary>
    public bool FrontEnd { get; init; }

    /// <summary>The numbers the option accepts, or null when it takes no number.</summary>
    public NumberRange? Range { get; init; }

    /// <summary>The help line's text: the description, for a fixed set of words its default word, for a number its range.</summary>
    public string Help => Choices.Count > 0 && DefaultText is not null ? $"{Description} (default {DefaultText})"
        : Range is { } range ? string.Create(CultureInfo.InvariantCulture, $"{Description} [{range.Minimum}..{range.Maximum}]")
        : Description;

    /// <summary>Checks one word, as it would be parsed, without keeping the value.</summary>
    /// <exception cref="OptionException">The word is refused; the message names the option and what it expects.</exception>
    public abstract void Check(string word);

    /// <summary>A switch: true when given bare; a front end may pass <c>true</c> or <c>false</c>.</summary>
    public static OptionDefinition<bool> Flag(string name, string description) =>
        new(name, description, OptionArity.Flag, default, word => ParseBoolean(name, word)) { Bare = true };

    /// <summary>A word taken as it is (a path, a name), or null when not given.</summary>
    public static OptionDefinition<string?> Text(string name, string description) =>
        new(name, description, OptionArity.Value, null, word => word);

    /// <summary>A word taken as it is, with a default.</summary>
    public static OptionDefinition<string> Text(string name, string description, string defaultValue) =>
        new(name, description, OptionArity.Value, defaultValue, word => word) { DefaultText = defaultValue };

    /// <summary>A word per occurrence, repeatable.</summary>
    public static OptionDefinition<string> Repeated(string name, string description) =>
        new(name, description, OptionArity.Values, "", word => word);

    /// <summary>A whole number of <paramref name="range"/>, with a default.</summary>
    public static OptionDefinition<int> Int32(string name, string description, int defaultValue, NumberRange range) =>
        new(name, description, OptionArity.Value, defaultValue, word => ParseNumber<int>(name, word, range))
        {
            DefaultText = defaultValue.ToString(CultureInfo.InvariantCulture),
            Range = range,
        };

    /// <summary>A whole number of <paramref name="range"/>, or null when not given.</summary>
    public static OptionDefinition<int?> OptionalInt32(string name, string description, NumberRange range) =>
        new(name, description, OptionArity.Value, null, word => ParseNumber<int>(name, word, range)) { Range = range };

    /// <summary>A 64-bit whole number of <paramref name="range"/>, with a default.</summary>
    public static OptionDefinition<long> Int64(string name, string description, long defaultValue, NumberRange range) =>
        new(name, description, OptionArity.Value, defaultValue, word => ParseNumber<long>(name, word, range))
        {
            DefaultText = defaultValue.ToString(CultureInfo.InvariantCulture),
            Range = range,
        };

    /// <summary>A whole number from 0 of <paramref name="range"/>, or null when not given.</summary>
    public static OptionDefinition<ulong?> OptionalUInt64(string name, string description, NumberRange range) =>
        new(name, description, OptionArity.Value, null, word => ParseNumber<ulong>(name, word, range)) { Range = range };

    /// <summary>A number of <paramref name="range"/>, with a default.</summary>
    public static OptionDefinition<double> Double(string name, string description, double defaultValue, NumberRange range) =>
        new(name, description, OptionArity.Value, defaultValue, word => ParseNumber<double>(name, word, range))
        {
            DefaultText = defaultValue.ToString(CultureInfo.InvariantCulture),
            Range = range,
        };

    /// <summary>An exact decimal number (seconds, rates) of <paramref name="range"/>, or null when not given.</summary>
    public static OptionDefinition<decimal?> OptionalDecimal(string name, string description, NumberRange range) =>
        new(name, description, OptionArity.Value, null, word => ParseNumber<decimal>(name, word, range)) { Range = range };

    /// <summary>
    /// One of an enum's words (<see cref="OptionWord"/>), case-insensitive; the default is the enum's zero member, shown
    /// in help as "(default word)".
    /// </summary>
    public static OptionDefinition<T> Choice<T>(string name, string description)
        where T : struct, Enum
    {
        var values = Enum.GetValues<T>();
        var words = Array.ConvertAll(values, OptionWord.Of);
        return new OptionDefinition<T>(name, description, OptionArity.Value, default, word =>
        {
            for (var i = 0; i < values.Length; i++)
            {
                if (string.Equals(words[i], word, StringComparison.OrdinalIgnoreCase))
                {
                    return values[i];
                }
            }

            throw new OptionException(name, $"--{name}: expected one of {string.Join(", ", words)}; got '{word}'");
        })
        {
            Choices = words,
            DefaultText = OptionWord.Of(default(T)),
            HelpName = string.Join("|", words),
        };
    }

    /// <summary>A value of a type with its own parser (<c>FrameSize.Parse</c>), which throws <see cref="OptionException"/> in its own words.</summary>
    /// <param name="name">The long name without dashes.</param>
    /// <param name="description">The help text.</param>
    /// <param name="defaultValue">The value when not given.</param>
    /// <param name="parse">Parses one word.</param>
    /// <param name="arity"><see cref="OptionArity.Value"/>, or <see cref="OptionArity.OptionalValue"/> with a <see cref="OptionDefinition{T}.Bare"/> value.</param>
    /// <param name="defaultText">The default as shown in help, or null.</param>
    public static OptionDefinition<T> Parsed<T>(string name, string description, T defaultValue, Func<string, T> parse, OptionArity arity = OptionArity.Value,
        string? defaultText = null) =>
        new(name, description, arity, defaultValue, parse) { DefaultText = defaultText };

    internal static bool ParseBoolean(string name, string word) =>
        bool.TryParse(word, out var value) ? value : throw new OptionException(name, $"--{name}: expected true or false, got '{word}'");

    // Every number goes through the one grammar and its range, so no word reaches a conversion that could overflow.
    internal static T ParseNumber<T>(string name, string word, NumberRange range)
        where T : struct, INumber<T> => T.CreateChecked(range.Parse(name, word));
}
