using System.CommandLine;
using System.Text.Json;
using Video2TfRecord.Options;

namespace Video2TfRecord.Cli;

/// <summary>
/// <c>video2tfrecord options --json</c> (hidden): the rows of <c>convert</c>'s option table as JSON, so a front end in
/// another language (the Python package) maps its arguments through the same table instead of keeping its own list.
/// </summary>
internal static class OptionsCommand
{
    public static Command Create(TextWriter output)
    {
        var json = new Option<bool>("--json") { Description = "Print the table as JSON (the only form)" };
        var command = new Command("options", "The convert option table as JSON, for front ends in other languages") { Hidden = true };
        command.Options.Add(json);
        command.SetAction(async (_, _) =>
        {
            await output.WriteLineAsync(Describe(ConvertOptionTable.All)).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// One object per row, in help's order: <c>name</c>, <c>short</c>, <c>arity</c> (flag, value, optional-value,
    /// values), <c>type</c>, <c>required</c>, <c>default</c>, <c>choices</c>, <c>front_end</c>, <c>help</c>.
    /// </summary>
    public static string Describe(IEnumerable<OptionDefinition> rows)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartArray();
            foreach (var row in rows)
            {
                writer.WriteStartObject();
                writer.WriteString("name", row.Name);
                writer.WriteString("short", row.ShortName);
                writer.WriteString("arity", row.Arity switch
                {
                    OptionArity.Flag => "flag",
                    OptionArity.Value => "value",
                    OptionArity.OptionalValue => "optional-value",
                    _ => "values",
                });
                writer.WriteString("type", TypeName(row));
                writer.WriteBoolean("required", row.Required);
                writer.WriteString("default", row.DefaultText);
                writer.WriteStartArray("choices");
                foreach (var choice in row.Choices)
                {
                    writer.WriteStringValue(choice);
                }

                writer.WriteEndArray();
                writer.WriteBoolean("front_end", row.FrontEnd);
                writer.WriteString("help", row.Help);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    // What a value is, in words a front end maps its own types onto.
    private static string TypeName(OptionDefinition row)
    {
        if (row.Arity == OptionArity.Flag)
        {
            return "bool";
        }

        if (row.Choices.Count > 0 || row.Arity == OptionArity.OptionalValue)
        {
            return "choice";
        }

        var type = row.GetType().GetGenericArguments()[0];
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.Name switch
        {
            nameof(Int32) or nameof(Int64) or nameof(UInt64) => "integer",
            nameof(Double) or nameof(Decimal) => "number",
            "FrameSize" => "size",
            "FrameCount" => "frames",
            _ => "text",
        };
    }
}
