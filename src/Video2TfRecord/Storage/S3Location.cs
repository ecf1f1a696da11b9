namespace Video2TfRecord.Storage;

/// <summary>
/// An object or a prefix in an S3-compatible bucket, written <c>s3://bucket/key</c>. The key is kept as given, without
/// a leading <c>/</c>; a prefix that names a folder is the key with a trailing <c>/</c> (<see cref="AsFolder"/>).
/// </summary>
/// <param name="Bucket">The bucket's name.</param>
/// <param name="Key">The object's key, or the prefix; empty for the whole bucket.</param>
internal readonly record struct S3Location(string Bucket, string Key)
{
    /// <summary>The scheme every location starts with.</summary>
    public const string Scheme = "s3://";

    /// <summary>Whether <paramref name="path"/> is written as an S3 location (starts with <c>s3://</c>).</summary>
    public static bool IsS3(string? path) => path is not null && path.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether AWS S3 itself would take <paramref name="bucket"/>: 3 to 63 lowercase letters, digits, '.' and '-'.</summary>
    internal static bool IsAwsBucketName(string bucket) =>
        bucket.Length is >= 3 and <= 63 && bucket.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-');

    /// <summary>Reads <c>s3://bucket/key</c>.</summary>
    /// <exception cref="FormatException">Not an S3 location, or the bucket name is empty or malformed.</exception>
    public static S3Location Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!IsS3(path))
        {
            throw new FormatException($"{path}: expected s3://bucket/key");
        }

        var rest = path[Scheme.Length..];
        var slash = rest.IndexOf('/');
        var bucket = slash < 0 ? rest : rest[..slash];
        var key = slash < 0 ? "" : rest[(slash + 1)..].TrimStart('/');
        // What any compatible store may accept: S3's names (3 to 63 lowercase letters, digits, '.', '-'), GCS's ('_',
        // up to 222 with dots) and Ceph's older ones (capitals). The store itself refuses what it does not take.
        if (bucket.Length is < 3 or > 222 || !bucket.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')
            || !char.IsAsciiLetterOrDigit(bucket[0]) || !char.IsAsciiLetterOrDigit(bucket[^1]))
        {
            throw new FormatException($"{path}: '{bucket}' is not a bucket name (3 or more letters, digits, '.', '-' and '_', starting and ending with a letter or digit)");
        }

        return new S3Location(bucket, key);
    }

    /// <summary>Reads <c>s3://bucket/key</c> given as <paramref name="option"/>, refusing a malformed one as the command line does.</summary>
    /// <param name="path">The location as given.</param>
    /// <param name="option">The option (or <c>input</c>) it was given as, for <see cref="OptionException.Option"/>.</param>
    /// <param name="saying">What the message starts with: <c>--labels</c>, <c>input</c>, <c>merge-manifests</c>.</param>
    /// <exception cref="OptionException">Not an S3 location, or the bucket name is malformed.</exception>
    public static S3Location Parse(string path, string option, string saying)
    {
        try
        {
            return Parse(path);
        }
        catch (FormatException e)
        {
            throw new OptionException(option, $"{saying}: {e.Message}", e);
        }
    }

    /// <summary>This location as a folder: the key with one trailing <c>/</c> (the bucket's root stays empty).</summary>
    public S3Location AsFolder() => Key.Length == 0 || Key.EndsWith('/') ? this : this with { Key = Key + "/" };

    /// <summary>The object <paramref name="name"/> inside this location taken as a folder.</summary>
    public S3Location Child(string name) => this with { Key = AsFolder().Key + name };

    /// <summary>The last part of the key: the object's file name.</summary>
    public string Name => Key.TrimEnd('/') is var trimmed && trimmed.LastIndexOf('/') is var slash and >= 0 ? trimmed[(slash + 1)..] : Key.TrimEnd('/');

    /// <summary>The location as written: <c>s3://bucket/key</c>.</summary>
    public override string ToString() => Scheme + Bucket + "/" + Key;
}
