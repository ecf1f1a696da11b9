using System.CommandLine;

namespace Video2TfRecord.Cli;

/// <summary>Options whose value is one of a fixed set of lower-case words, mapped to an enum.</summary>
internal static class ChoiceOption
{
    /// <summary>Creates <c>--name word</c> accepting the enum's member names in lower case.</summary>
    /// <remarks>
    /// The default must be the enum's zero member: the option then needs no default factory, so help shows the
    /// words in lower case once instead of System.CommandLine's "[default: MemberName]".
    /// </remarks>
    public static Option<T> Create<T>(string name, string description, T defaultValue)
        where T : struct, Enum
    {
        if (!EqualityComparer<T>.Default.Equals(defaultValue, default))
        {
            throw new ArgumentException($"{name}: the default {defaultValue} must be {typeof(T).Name}'s zero member.", nameof(defaultValue));
        }

        var words = Enum.GetValues<T>().Select(Word).ToArray();
        var option = new Option<T>(name)
        {
            Description = $"{description} (default {Word(defaultValue)})",
            HelpName = string.Join("|", words),
            CustomParser = result =>
            {
                var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                foreach (var value in Enum.GetValues<T>())
                {
                    if (string.Equals(Word(value), token, StringComparison.OrdinalIgnoreCase))
                    {
                        return value;
                    }
                }

                result.AddError($"{name}: expected one of {string.Join(", ", words)}; got '{token}'");
                return defaultValue;
            },
        };
        option.CompletionSources.Add(words);
        return option;
    }

    /// <summary>The command-line word for an enum value (see <see cref="OptionWord"/>).</summary>
    public static string Word<T>(T value)
        where T : struct, Enum => OptionWord.Of(value);
}
