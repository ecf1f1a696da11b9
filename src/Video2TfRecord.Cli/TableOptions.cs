using System.CommandLine;
using Video2TfRecord.Options;

namespace Video2TfRecord.Cli;

/// <summary>
/// System.CommandLine options made from rows of a library option table (<see cref="ConvertOptionTable"/>,
/// <see cref="StorageOptionTable"/>): the table says name, help, default and parsing; this class only shapes them for the
/// parser and hands the words given back to the table.
/// </summary>
internal sealed class TableOptions
{
    private readonly List<(OptionDefinition Row, Option Option)> _options = [];

    /// <summary>Makes one option per row.</summary>
    public TableOptions(IEnumerable<OptionDefinition> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            _options.Add((row, Create(row)));
        }
    }

    /// <summary>Adds the options to <paramref name="command"/>, in the table's order.</summary>
    public void AddTo(Command command)
    {
        foreach (var (_, option) in _options)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The option made for <paramref name="row"/>.</summary>
    public Option<bool> Of(OptionDefinition<bool> row) => (Option<bool>)_options.First(o => ReferenceEquals(o.Row, row)).Option;

    /// <summary>The words the command line gave, for the table to read; options left out (or at their help default) are absent.</summary>
    public OptionWords Words(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var words = new OptionWords();
        foreach (var (row, option) in _options)
        {
            if (parsed.GetResult(option) is not { Implicit: false } result)
            {
                continue;
            }

            if (row.Arity == OptionArity.Flag)
            {
                words.Add(row.Name, parsed.GetValue((Option<bool>)option) ? "true" : "false");
            }
            else if (result.Tokens.Count == 0)
            {
                words.Add(row.Name);
            }
            else if (row.Arity == OptionArity.Values)
            {
                foreach (var token in result.Tokens)
                {
                    words.Add(row.Name, token.Value);
                }
            }
            else
            {
                // Given twice, the last one counts, as System.CommandLine's own options did.
                words.Add(row.Name, result.Tokens[^1].Value);
            }
        }

        return words;
    }

    private static Option Create(OptionDefinition row)
    {
        string[] aliases = row.ShortName is null ? [] : ["-" + row.ShortName];
        if (row.Arity == OptionArity.Flag)
        {
            return new Option<bool>(row.LongName, aliases) { Description = row.Help };
        }

        if (row.Arity == OptionArity.Values)
        {
            return new Option<string[]>(row.LongName, aliases) { Description = row.Help, AllowMultipleArgumentsPerToken = false };
        }

        var option = new Option<string>(row.LongName, aliases)
        {
            Description = row.Help,
            HelpName = row.HelpName,
            Required = row.Required,
            Arity = row.Arity == OptionArity.OptionalValue ? ArgumentArity.ZeroOrOne : ArgumentArity.ExactlyOne,
            // Refusals come at parse time, with the usage hint, in the table's words.
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0)
                {
                    return null;
                }

                var word = result.Tokens[^1].Value;
                try
                {
                    row.Check(word);
                }
                catch (OptionException e)
                {
                    result.AddError(e.Message);
                }

                return word;
            },
        };
        if (row.DefaultText is { } shown && row.Choices.Count == 0)
        {
            option.DefaultValueFactory = _ => shown;
        }

        if (row.Choices.Count > 0)
        {
            option.CompletionSources.Add([.. row.Choices]);
        }

        return option;
    }
}
