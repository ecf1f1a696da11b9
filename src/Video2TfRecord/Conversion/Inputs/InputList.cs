namespace Video2TfRecord.Conversion.Inputs;

/// <summary>The lines of an input list (<c>--input-list</c>): one path per line; blank lines and <c>#</c> lines are skipped.</summary>
/// <param name="Name">What the list is called in messages: its path, or <c>standard input</c>.</param>
/// <param name="Lines">The lines as read.</param>
public sealed record InputList(string Name, IReadOnlyList<string> Lines)
{
    /// <summary>Reads the list file at <paramref name="path"/>.</summary>
    /// <exception cref="OptionException">The file cannot be read.</exception>
    public static InputList FromFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return new InputList(path, File.ReadAllLines(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OptionException("input-list", $"--input-list: cannot read {path}: {e.Message}", e);
        }
    }

    /// <summary>Reads the list from <paramref name="reader"/> (the caller's standard input) to its end.</summary>
    public static InputList FromReader(TextReader reader, string name = "standard input")
    {
        ArgumentNullException.ThrowIfNull(reader);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return new InputList(name, lines);
    }
}
