using System.Text.RegularExpressions;

namespace Video2TfRecord.Conversion.Annotations;

/// <summary>
/// The names a split may have: letters, digits and underscores, starting with a letter (<c>train</c>, <c>val_1</c>),
/// which TensorFlow Datasets accepts and which keep <c>&lt;prefix&gt;-&lt;split&gt;-00000-of-00004</c> readable back.
/// </summary>
internal static partial class SplitName
{
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex Pattern();

    /// <summary>Whether <paramref name="name"/> is a valid split name.</summary>
    public static bool IsValid(string name) => Pattern().IsMatch(name);

    /// <summary><paramref name="name"/>, checked, from the current row of <paramref name="csv"/>.</summary>
    /// <exception cref="OptionException">It is not a valid split name.</exception>
    public static string Check(string name, AnnotationCsv csv) => IsValid(name)
        ? name
        : throw csv.Error($"{csv.Path} line {csv.Line}: split '{name}' is not a split name (letters, digits and _, starting with a letter, as TensorFlow Datasets requires)");
}
