using System.Globalization;
using System.IO.Compression;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Video2TfRecord.Conversion;
using Video2TfRecord.Options;
using Video2TfRecord.Server.Jobs;

namespace Video2TfRecord.Server.Api;

/// <summary>The API under <c>/api/jobs</c>: create a job from an upload, follow it, fetch its files, delete it.</summary>
internal static class JobRoutes
{
    // Options a job may not set: the service decides where files go and how the run is driven (a job's files are its
    // uploads: no bucket, no work folder of the server's).
    private static readonly HashSet<string> ServiceOptions = new(StringComparer.Ordinal)
    {
        "output", "input-list", "labels", "clips", "resume", "overwrite", "worker-index", "worker-count", "dry-run", "quiet", "jobs", "help",
        "s3-endpoint", "s3-path-style", "s3-region", "s3-retries", "s3-part-size", "s3-checkpoint", "work-dir", "cache-size",
    };

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/jobs").AddEndpointFilter(async (context, next) =>
            context.HttpContext.RequestServices.GetService(typeof(ApiKeys)) is ApiKeys keys && keys.Owner(context.HttpContext.Request) is { } owner
                ? await next(SetOwner(context, owner)).ConfigureAwait(false)
                : new ApiError("unauthorized", $"give a valid API key in the {ApiKeys.Header} header").With(StatusCodes.Status401Unauthorized));

        api.MapPost("/", (HttpContext context, ServerSettings settings, JobStore store, JobRunner runner, CancellationToken cancellationToken) =>
                CreateAsync(context, settings, store, runner, cancellationToken))
            .WithSummary("Upload videos (parts named files), an optional label CSV (labels) or clips CSV (clips), and option fields named as convert's long options")
            .DisableAntiforgery();
        api.MapGet("/", (HttpContext context, JobStore store, JobRunner runner) =>
            Results.Json(store.List(Owner(context)).Select(job => runner.View(runner.Find(job.Id) ?? job)).ToList()))
            .WithSummary("The caller's jobs, newest first");
        api.MapGet("/{id}", (string id, HttpContext context, JobRunner runner) =>
            Find(id, context, runner) is { } job ? Results.Json(runner.View(job)) : ApiError.NotFound(id))
            .WithSummary("One job");
        api.MapGet("/{id}/events", (string id, HttpContext context, JobRunner runner, JobEvents events, CancellationToken cancellationToken) =>
            Find(id, context, runner) is { } job
                ? TypedResults.ServerSentEvents(Follow(job, runner, events, cancellationToken))
                : ApiError.NotFound(id))
            .WithSummary("Server-sent events: progress (the job's JSON) while it runs, then done");
        // HEAD too: curl -I and download managers ask for the size before they fetch.
        api.MapMethods("/{id}/files/{name}", [HttpMethods.Get, HttpMethods.Head], (string id, string name, HttpContext context, JobRunner runner, ServerSettings settings) =>
            Find(id, context, runner) is { } job && job.Files.Any(f => f.Name == name)
                ? Results.File(Path.Combine(new JobFolder(settings.DataFolder, id).Output, name), "application/octet-stream", name, enableRangeProcessing: true)
                : ApiError.NotFound(id + "/" + name))
            .WithSummary("One output file (HTTP ranges supported)");
        api.MapMethods("/{id}/archive", [HttpMethods.Get, HttpMethods.Head], (string id, HttpContext context, JobRunner runner, ServerSettings settings) => Archive(id, context, runner, settings))
            .WithSummary("Every output file and the manifest as one zip, streamed");
        api.MapDelete("/{id}", async (string id, HttpContext context, JobRunner runner) =>
        {
            if (Find(id, context, runner) is not { } job)
            {
                return ApiError.NotFound(id);
            }

            await runner.DeleteAsync(job).ConfigureAwait(false);
            return Results.NoContent();
        }).WithSummary("Cancels the job if it runs and deletes it with its files");
    }

    private static EndpointFilterInvocationContext SetOwner(EndpointFilterInvocationContext context, string owner)
    {
        context.HttpContext.Items["owner"] = owner;
        return context;
    }

    private static string Owner(HttpContext context) => (string)context.Items["owner"]!;

    // A job of this caller (another caller's job is not found: its existence is not told).
    private static JobRow? Find(string id, HttpContext context, JobRunner runner) =>
        id.Length == 24 && id.All(char.IsAsciiHexDigitLower) && runner.Find(id) is { } job && job.Owner == Owner(context) ? job : null;

    private static async Task<IResult> CreateAsync(HttpContext context, ServerSettings settings, JobStore store, JobRunner runner,
        CancellationToken cancellationToken)
    {
        if (store.Queued().Count >= settings.MaxQueuedJobs)
        {
            context.Response.Headers.RetryAfter = "30";
            return new ApiError("queue full", $"{settings.MaxQueuedJobs} jobs are waiting already; try again later").With(StatusCodes.Status503ServiceUnavailable);
        }

        if (FreeBytes(settings.DataFolder) < settings.MinFreeBytes)
        {
            return new ApiError("disk full", $"less than {settings.MinFreeBytes} bytes are free for uploads; try again when jobs have been deleted")
                .With(StatusCodes.Status507InsufficientStorage);
        }

        // Room for the multipart framing around the uploads.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = settings.MaxJobBytes + (1L << 20);
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var folder = new JobFolder(settings.DataFolder, id);
        var accepted = false;
        try
        {
            var upload = await Upload.ReadAsync(context.Request, folder, settings, cancellationToken).ConfigureAwait(false);
            upload.Probe(folder);
            if (upload.Names.Count == 0)
            {
                return new ApiError("no videos", NoVideos(upload.Failures, folder, settings)).With(StatusCodes.Status400BadRequest);
            }

            var row = new JobRow
            {
                Id = id,
                Owner = Owner(context),
                Status = JobStatus.Queued,
                Arguments = Arguments(upload.Fields),
                Created = DateTimeOffset.UtcNow,
                Failures = upload.Failures,
                Names = upload.Names,
            };

            // The options as the conversion will read them, and its plan (labels and clips CSVs read), before accepting.
            try
            {
                await VideoConverter.PlanAsync(JobRunner.Parse(row, folder, settings, resume: false), cancellationToken);
            }
            catch (Exception e) when (ApiError.IsBadInput(e))
            {
                return new ApiError("bad option", folder.Relative(e.Message, settings.DataFolder)).With(StatusCodes.Status400BadRequest);
            }
            if (store.Queued().Count >= settings.MaxQueuedJobs)
            {
                // Filled while this upload arrived.
                context.Response.Headers.RetryAfter = "30";
                return new ApiError("queue full", $"{settings.MaxQueuedJobs} jobs are waiting already; try again later").With(StatusCodes.Status503ServiceUnavailable);
            }

            row = store.Add(row);
            accepted = true;
            runner.Enqueue(row);
            return Results.Accepted($"/api/jobs/{id}", runner.View(row));
        }
        catch (UploadRejectedException e)
        {
            return e.Error.With(e.Status);
        }
        catch (Exception e) when (e is OptionException or ArgumentException)
        {
            // The fields themselves (unknown, set by the service).
            return new ApiError("bad option", folder.Relative(e.Message, settings.DataFolder)).With(StatusCodes.Status400BadRequest);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new ApiError("job too large", $"the request is larger than {settings.MaxJobBytes} bytes (Video2TfRecord:Server:MaxJobBytes)").With(e.StatusCode);
        }
        catch (IOException e) when (e.HResult == ENOSPC)
        {
            return new ApiError("disk full", "the disk filled while the upload arrived; try again when jobs have been deleted").With(StatusCodes.Status507InsufficientStorage);
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException or OperationCanceledException or InvalidDataException)
        {
            // The client went away or the body was cut off.
            return new ApiError("upload failed", $"the upload did not arrive whole ({e.Message})").With(StatusCodes.Status400BadRequest);
        }
        finally
        {
            // Nothing of a job that was not accepted is kept, whatever stopped it.
            if (!accepted)
            {
                folder.Delete();
            }
        }
    }

    // Uploads that are not videos, by the client's name: the first few, then how many more, so a thousand bad parts do
    // not make a 100 KB answer.
    private const int NamedFailures = 10;

    private static string NoVideos(IReadOnlyList<JobFailure> failures, JobFolder folder, ServerSettings settings)
    {
        var named = string.Join("; ", failures.Take(NamedFailures).Select(f => $"{Short(f.File)}: {folder.Relative(f.Reason, settings.DataFolder)}"));
        var more = failures.Count > NamedFailures ? string.Create(CultureInfo.InvariantCulture, $"; and {failures.Count - NamedFailures} more") : "";
        return $"none of the uploads is a video that decodes: {named}{more}";
    }

    // A client's file name as a message quotes it: at most 100 characters.
    private static string Short(string name) => name.Length <= 100 ? name : name[..97] + "…";

    // Option fields as convert arguments: --name value (a flag's empty value: --name alone).
    private static List<string> Arguments(List<(string Name, string Value)> fields)
    {
        var arguments = new List<string>();
        foreach (var (name, value) in fields)
        {
            if (ConvertOptionTable.Find(name) is null)
            {
                throw new ArgumentException($"unknown option field '{name}': fields are convert's long options without dashes (frames, size, layout, …)");
            }

            if (ServiceOptions.Contains(name))
            {
                throw new ArgumentException($"the field '{name}' is set by the service, not by a job (upload a label CSV in the part labels, a clips CSV in clips)");
            }

            // One token per field, --name=value: a value can never be read as another option ("--overwrite") or an input.
            arguments.Add(value.Length > 0 ? $"--{name}={value}" : "--" + name);
        }

        return arguments;
    }

    private static async IAsyncEnumerable<SseItem<Job>> Follow(JobRow job, JobRunner runner, JobEvents events, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Follow first, then send the state now, so no change between the two is missed.
        using var follower = events.Follow(job.Id);
        var now = runner.View(runner.Find(job.Id) ?? job);
        if (now.Status is not ("queued" or "running"))
        {
            yield return new SseItem<Job>(now, "done");
            yield break;
        }

        yield return new SseItem<Job>(now, "progress");
        while (true)
        {
            // Every few seconds without news the job is looked up again: one deleted in between ends the stream.
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(TimeSpan.FromSeconds(5));
            bool more;
            try
            {
                more = await follower.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                more = true;
            }

            if (!more)
            {
                yield break;
            }

            if (runner.Find(job.Id) is null)
            {
                yield return new SseItem<Job>(now with { Status = "cancelled", Finished = DateTimeOffset.UtcNow }, "done");
                yield break;
            }

            while (follower.Reader.TryRead(out var next))
            {
                var done = next.Status is not ("queued" or "running");
                yield return new SseItem<Job>(done ? next : next with { QueuePosition = runner.View(runner.Find(job.Id) ?? job).QueuePosition }, done ? "done" : "progress");
                if (done)
                {
                    yield break;
                }
            }
        }
    }

    private static IResult Archive(string id, HttpContext context, JobRunner runner, ServerSettings settings)
    {
        if (Find(id, context, runner) is not { } job)
        {
            return ApiError.NotFound(id);
        }

        if (job.Status != JobStatus.Succeeded)
        {
            return new ApiError("not finished", $"job {id} is {job.Status.ToString().ToLowerInvariant()}: its archive exists once it succeeded").With(StatusCodes.Status409Conflict);
        }

        var output = new JobFolder(settings.DataFolder, id).Output;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            // The zip is made while it is sent, so its length is not known: the headers a GET would have, no body.
            context.Response.ContentType = "application/zip";
            context.Response.Headers.ContentDisposition = $"attachment; filename=video2tfrecord-{id}.zip";
            return Results.Empty;
        }

        return Results.Stream(async body =>
        {
            // ZipArchive writes its headers synchronously; the entries themselves are copied straight from disk.
            context.Features.Get<IHttpBodyControlFeature>()!.AllowSynchronousIO = true;
            using var zip = new ZipArchive(body, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var file in job.Files)
            {
                var entry = zip.CreateEntry(file.Name, CompressionLevel.NoCompression);
                await using var source = File.OpenRead(Path.Combine(output, file.Name));
                await using var target = entry.Open();
                await source.CopyToAsync(target, context.RequestAborted).ConfigureAwait(false);
            }
        }, "application/zip", $"video2tfrecord-{id}.zip");
    }

    // errno 28 as .NET reports it in IOException.HResult on Linux.
    private const int ENOSPC = 28;

    private static long FreeBytes(string folder)
    {
        try
        {
            return new DriveInfo(Path.GetFullPath(folder)).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return long.MaxValue;
        }
    }
}
