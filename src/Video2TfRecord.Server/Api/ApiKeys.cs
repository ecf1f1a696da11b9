using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Video2TfRecord.Server.Api;

/// <summary>
/// Who is asking: without configured keys everyone is the same anonymous owner; with keys a request carries one in the
/// <c>X-Api-Key</c> header (or, for links and event streams a browser opens, the <c>api_key</c> query parameter), and
/// its owner is the key's SHA-256, which is all the service stores.
/// </summary>
internal sealed class ApiKeys(ServerSettings settings)
{
    private readonly HashSet<string> _hashes = settings.ApiKeySha256.Select(h => h.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

    public const string Header = "X-Api-Key";
    public const string Query = "api_key";

    /// <summary>Whether keys are asked for.</summary>
    public bool Required => _hashes.Count > 0;

    /// <summary>The owner of the request, or null when keys are asked for and it has no valid one.</summary>
    public string? Owner(HttpRequest request)
    {
        if (!Required)
        {
            return "";
        }

        var key = request.Headers[Header].FirstOrDefault() ?? request.Query[Query].FirstOrDefault();
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }

        var hash = Hash(key);
        return _hashes.Contains(hash) ? hash : null;
    }

    /// <summary>The SHA-256 of a key, lower-case hex, as <c>ApiKeySha256</c> lists it.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
