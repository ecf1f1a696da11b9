using System.Globalization;

namespace Video2TfRecord.TfRecords;

/// <summary>
/// The one template of every numbered file a run writes, <c>{stem}-{i:D5}-of-{n:D5}{suffix}</c>: record shards
/// (<c>videos-00003-of-00012.tfrecord.gz</c>, TFDS's <c>videos-train.tfrecord-00003-of-00012</c>) and worker parts
/// (<c>manifest-worker-00001-of-00004.json</c>). The same template formats a name and recognizes one.
/// </summary>
/// <param name="Stem">What comes before the numbers.</param>
/// <param name="Suffix">What comes after them (an extension, or empty).</param>
internal sealed record ShardName(string Stem, string Suffix)
{
    private const string Of = "-of-";
    private const int Digits = 5;

    /// <summary>This tool's name of record shards: <c>{prefix}-00003-of-00012.tfrecord[.gz|.zz]</c>.</summary>
    public static ShardName Records(string prefix, TfRecordCompression compression) => new(prefix, TfRecordFile.Extension(compression));

    /// <summary>The name of number <paramref name="index"/> of <paramref name="count"/>.</summary>
    public string Format(int index, int count) =>
        string.Create(CultureInfo.InvariantCulture, $"{Stem}-{index:D5}{Of}{count:D5}{Suffix}");

    /// <summary>Whether <paramref name="fileName"/> has this template's stem and suffix; then its numbers.</summary>
    public bool Matches(string fileName, out int index, out int count) =>
        TryParse(fileName, Suffix, out var stem, out index, out count) && string.Equals(stem, Stem, StringComparison.Ordinal);

    /// <summary>
    /// Splits <paramref name="fileName"/> as <c>{stem}-{index}-of-{count}{suffix}</c> with any non-empty stem and numbers
    /// of at least five digits (a run of more than 99999 shards writes six).
    /// </summary>
    public static bool TryParse(string fileName, string suffix, out string stem, out int index, out int count)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(suffix);
        (stem, index, count) = ("", 0, 0);
        if (!fileName.EndsWith(suffix, StringComparison.Ordinal))
        {
            return false;
        }

        var numbers = fileName.AsSpan(0, fileName.Length - suffix.Length);
        var of = numbers.LastIndexOf(Of, StringComparison.Ordinal);
        if (of < 0 || !Number(numbers[(of + Of.Length)..], out count))
        {
            return false;
        }

        var dash = numbers[..of].LastIndexOf('-');
        if (dash < 1 || !Number(numbers[(dash + 1)..of], out index))
        {
            return false;
        }

        stem = fileName[..dash];
        return true;
    }

    private static bool Number(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        return digits.Length >= Digits && !digits.ContainsAnyExcept("0123456789")
            && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
