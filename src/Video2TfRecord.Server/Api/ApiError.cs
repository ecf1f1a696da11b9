using Microsoft.AspNetCore.Http;

namespace Video2TfRecord.Server.Api;

/// <summary>Every error the API answers: <c>{"error": "…", "detail": "…"}</c> with its status code.</summary>
/// <param name="Error">A short kind (<c>not found</c>, <c>bad option</c>, <c>too large</c>, …).</param>
/// <param name="Detail">One line saying what was wrong and how to fix it.</param>
internal sealed record ApiError(string Error, string Detail)
{
    /// <summary>The response for this error.</summary>
    public IResult With(int status) => Results.Json(this with { Detail = Printable(Detail) }, statusCode: status);

    internal static IResult NotFound(string id) => new ApiError("not found", $"no job {id}").With(StatusCodes.Status404NotFound);

    /// <summary>
    /// Whether <paramref name="e"/> is what the option table, the options' validation and a run's planning throw for a
    /// value the client sent: <see cref="OptionException"/> (every refusal in the command line's words),
    /// <see cref="ArgumentException"/>, <see cref="InvalidDataException"/> (a file that is not what it claims), and
    /// <see cref="ArithmeticException"/> (a number past what the conversion computes with, where no range check caught
    /// it first). They answer 400 with the message, as the command line prints it.
    /// </summary>
    internal static bool IsBadInput(Exception e) => e is OptionException or ArgumentException or InvalidDataException or ArithmeticException;

    // Details longer than this keep their start and their end (where "expected …" usually is).
    internal const int MaxDetail = 1000;

    /// <summary>
    /// <paramref name="text"/> as a client may be shown it: characters that do not print (controls, a NUL, U+FFFD from
    /// bytes that were not UTF-8, unpaired surrogates, format characters) written as <c>\uXXXX</c>, and a text longer
    /// than <see cref="MaxDetail"/> characters cut in its middle to its first 700 and last 250, with what was left out
    /// counted. A binary or UTF-16 file's bytes echoed into a message come out bounded and readable.
    /// </summary>
    internal static string Printable(string text)
    {
        var clean = new System.Text.StringBuilder(Math.Min(text.Length, 4 * MaxDetail));
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (char.IsHighSurrogate(ch) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean.Append(ch).Append(text[++i]);
            }
            else if (char.IsControl(ch) || ch == '\uFFFD' || char.IsSurrogate(ch) || char.GetUnicodeCategory(ch) is System.Globalization.UnicodeCategory.Format
                    or System.Globalization.UnicodeCategory.OtherNotAssigned or System.Globalization.UnicodeCategory.PrivateUse)
            {
                clean.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)ch:x4}");
            }
            else
            {
                clean.Append(ch);
            }
        }

        if (clean.Length <= MaxDetail)
        {
            return clean.ToString();
        }

        var all = clean.ToString();
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{all[..700]} … ({all.Length - 950} characters left out) … {all[^250..]}");
    }
}

/// <summary>Thrown while an upload is read: the request is answered with the error, the job's files are removed.</summary>
internal sealed class UploadRejectedException(int status, ApiError error) : Exception(error.Detail)
{
    public int Status => status;

    public ApiError Error => error;
}
