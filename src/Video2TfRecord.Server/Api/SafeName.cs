using System.Text;

namespace Video2TfRecord.Server.Api;

/// <summary>
/// File names for uploads that cannot escape the job's folder or clash: the client's name is only a hint. The last path
/// segment is kept (<c>../../etc/passwd</c> → <c>passwd</c>, <c>C:\x\a.mp4</c> → <c>a.mp4</c>), letters, digits,
/// <c>.</c>, <c>-</c> and <c>_</c> stay and every other character becomes <c>_</c>, leading dots go, the stem is cut to 80
/// characters, and a name already taken gets <c>-2</c>, <c>-3</c>… before its extension.
/// </summary>
internal sealed class SafeName
{
    private const int MaxStem = 80;
    private const int MaxExtension = 10;
    private readonly HashSet<string> _taken = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A safe, unused name for <paramref name="clientName"/>; <paramref name="fallback"/> when nothing usable is left of it.</summary>
    public string For(string? clientName, string fallback = "video")
    {
        var last = (clientName ?? "").Replace('\\', '/').Split('/').LastOrDefault() ?? "";
        var clean = new StringBuilder(last.Length);
        foreach (var ch in last)
        {
            clean.Append(char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' or '_' ? ch : '_');
        }

        var name = clean.ToString();
        var dot = name.LastIndexOf('.');
        var (stem, extension) = dot >= 0 && name.Length - dot <= MaxExtension + 1 ? (name[..dot], name[dot..]) : (name, "");
        stem = stem.TrimStart('.');

        stem = stem.Length > MaxStem ? stem[..MaxStem] : stem;
        if (stem.Trim('_', '.').Length == 0)
        {
            stem = fallback;
        }

        var candidate = stem + extension;
        for (var n = 2; !_taken.Add(candidate); n++)
        {
            candidate = $"{stem}-{n}{extension}";
        }

        return candidate;
    }
}
