using System.CommandLine;

namespace Video2TfRecord.Cli;

/// <summary>Options whose value is one of a fixed set of lower-case words, mapped to an enum.</summary>
internal static class ChoiceOption
{
    /// <summary>Creates <c>--name word</c> accepting the enum's member names in lower case.</summary>
    public static Option<T> Create<T>(string name, string description, T defaultValue)
        where T : struct, Enum
    {
        var words = Enum.GetValues<T>().Select(Word).ToArray();
        var option = new Option<T>(name)
        {
            Description = $"{description} ({string.Join("|", words)}; default {Word(defaultValue)})",
            DefaultValueFactory = _ => defaultValue,
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
