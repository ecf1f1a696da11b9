using System.Text.RegularExpressions;

namespace Video2TfRecord.Cli;

/// <summary>
/// System.CommandLine's parse errors in the words of the other option errors: "--shuffle: expected a whole number from
/// 0, got 'abc'" instead of "… as expected type 'System.Nullable`1[System.UInt64]'".
/// </summary>
internal static partial class ParseErrorText
{
    /// <summary>The message for the user; messages that name no .NET type pass unchanged.</summary>
    public static string Of(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var match = CannotParse().Match(message);
        if (!match.Success)
        {
            return message;
        }

        var type = match.Groups["type"].Value;
        var expected = type.Contains("UInt", StringComparison.Ordinal) ? "a whole number from 0"
            : type.Contains("Int", StringComparison.Ordinal) ? "a whole number"
            : type.Contains("Double", StringComparison.Ordinal) || type.Contains("Decimal", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) ? "a number"
            : "another value";
        return $"{match.Groups["option"].Value}: expected {expected}, got '{match.Groups["value"].Value}'";
    }

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'\.$")]
    private static partial Regex CannotParse();
}
