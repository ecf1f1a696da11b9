using Microsoft.AspNetCore.Http;

namespace Video2TfRecord.Server.Api;

/// <summary>Every error the API answers: <c>{"error": "…", "detail": "…"}</c> with its status code.</summary>
/// <param name="Error">A short kind (<c>not found</c>, <c>bad option</c>, <c>too large</c>, …).</param>
/// <param name="Detail">One line saying what was wrong and how to fix it.</param>
internal sealed record ApiError(string Error, string Detail)
{
    /// <summary>The response for this error.</summary>
    public IResult With(int status) => Results.Json(this, statusCode: status);

    internal static IResult NotFound(string id) => new ApiError("not found", $"no job {id}").With(StatusCodes.Status404NotFound);
}

/// <summary>Thrown while an upload is read: the request is answered with the error, the job's files are removed.</summary>
internal sealed class UploadRejectedException(int status, ApiError error) : Exception(error.Detail)
{
    public int Status => status;

    public ApiError Error => error;
}
