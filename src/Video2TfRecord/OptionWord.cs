using System.Text;

namespace Video2TfRecord;

/// <summary>The command-line spelling of option values: enum members in kebab case (ShortSide → short-side, UInt8 → uint8, OpenCV → opencv).</summary>
public static class OptionWord
{
    private static readonly System.Buffers.SearchValues<char> UpperCase = System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ");

    /// <summary>The word for <paramref name="value"/>.</summary>
    public static string Of<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        var word = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            // A new word starts at a capital after a lower-case letter, unless capitals run to the end (OpenCV → opencv).
            if (i > 0 && char.IsUpper(name[i]) && char.IsLower(name[i - 1]) && name.AsSpan(i).ContainsAnyExcept(UpperCase))
            {
                word.Append('-');
            }

            word.Append(char.ToLowerInvariant(name[i]));
        }

        return word.ToString();
    }
}
