using System.Globalization;

namespace Video2TfRecord.Options;

/// <summary>
/// The numbers an option or a CSV cell accepts, both bounds included, and the one grammar every number a user types is
/// read with: an optional sign, digits with an optional decimal point, and an optional exponent (<c>1e9</c>,
/// <c>2.5E-3</c>), in invariant culture, without thousands separators. Refusals name the option, the range and the word
/// as it was given, so every front end (command line, web service, Python package) shows the same words.
/// </summary>
/// <param name="Minimum">The smallest value accepted.</param>
/// <param name="Maximum">The largest value accepted.</param>
/// <param name="Whole">Whether only whole numbers are accepted (<c>1e3</c> is 1000; <c>1.5</c> is refused).</param>
/// <param name="Unit">What the number counts, for messages (<c>seconds</c>, <c>bytes</c>), or null.</param>
public sealed record NumberRange(decimal Minimum, decimal Maximum, bool Whole, string? Unit = null)
{
    private const NumberStyles Grammar = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>What the range accepts, as messages and help say it: <c>a whole number from 1 to 100</c>.</summary>
    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"{(Whole ? "a whole number" : "a number")}{(Unit is null ? "" : " of " + Unit)} from {Minimum} to {Maximum}");

    /// <summary>Whether <paramref name="value"/> is inside the range (and whole when it must be).</summary>
    public bool Contains(decimal value) => value >= Minimum && value <= Maximum && (!Whole || value == decimal.Truncate(value));

    /// <summary>Reads <paramref name="text"/> with the one grammar of numbers, without looking at any range.</summary>
    /// <param name="text">The word as given.</param>
    /// <param name="value">The number, exactly (decimal arithmetic: <c>0.1</c> is one tenth).</param>
    /// <returns>False when the text is not a number or lies beyond ±7.9e28, which no range reaches.</returns>
    public static bool TryRead(string? text, out decimal value)
    {
        value = 0;
        return !string.IsNullOrEmpty(text) && decimal.TryParse(text, Grammar, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The value of <paramref name="word"/>, given to the option <paramref name="option"/>.</summary>
    /// <param name="option">The long name without dashes, which the message names.</param>
    /// <param name="word">The word as given.</param>
    /// <exception cref="OptionException">The word is not a number of this range: "--fps: expected a number from 0.001 to 1000000, got '1e20'".</exception>
    public decimal Parse(string option, string word)
    {
        ArgumentException.ThrowIfNullOrEmpty(option);
        return TryRead(word, out var value) && Contains(value) ? value : throw Refusal(option, $"'{word}'");
    }

    /// <summary>Checks a value a program set (not a word a user typed) for the option <paramref name="option"/>.</summary>
    /// <exception cref="OptionException">The value is outside the range, in the words <see cref="Parse"/> uses.</exception>
    public void Check(string option, decimal value)
    {
        if (!Contains(value))
        {
            throw Refusal(option, value.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The refusal of <paramref name="given"/> (as the message shows it) for <paramref name="option"/>.</summary>
    public OptionException Refusal(string option, string given) => new(option, $"--{option}: expected {Description}, got {given}");
}
