using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Video2TfRecord.Server.Api;
using Video2TfRecord.Server.Jobs;

namespace Video2TfRecord.Server;

/// <summary>
/// The web service (<c>video2tfrecord serve</c>): the API under <c>/api/jobs</c>, the page at <c>/</c>, <c>/healthz</c>,
/// <c>/readyz</c> and the OpenAPI document at <c>/openapi/v1.json</c>, on Kestrel; jobs in SQLite in the data folder.
/// </summary>
public static class VideoService
{
    /// <summary>Builds the service, ready to start.</summary>
    /// <param name="args">Configuration arguments (<c>--Video2TfRecord:Server:Port=8081</c>); appsettings.json beside the program and environment variables are read too.</param>
    /// <param name="configure">Changes the settings after configuration is read (<c>serve</c>'s options), or null.</param>
    /// <param name="logging">Changes the logging providers (a host that has no console clears them), or null for the console on stderr.</param>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public static WebApplication Build(string[] args, Action<ServerSettings>? configure = null,
        Action<ILoggingBuilder>? logging = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var settings = new ServerSettings();
        builder.Configuration.GetSection(ServerSettings.Section).Bind(settings);
        configure?.Invoke(settings);
        settings.DataFolder = Path.GetFullPath(settings.DataFolder);
        settings.Validate();

        // Logs go to stderr (stdout carries only what serve prints); request lines, which may hold api_key, are not logged.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        logging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(settings.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(settings.Host), settings.Port);

            kestrel.Limits.RequestHeadersTimeout = settings.HeadersTimeout;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: settings.BodyTimeout);
        });
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(new ApiKeys(settings));
        builder.Services.AddSingleton(_ => new JobStore(settings.DataFolder));
        builder.Services.AddSingleton<JobEvents>();
        builder.Services.AddSingleton<JobRunner>();
        builder.Services.AddHostedService(services => services.GetRequiredService<JobRunner>());
        builder.Services.AddOpenApi();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));

        var app = builder.Build();
        // Whatever a route did not expect still answers {error, detail} (logged with its stack), never an empty 500.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context =>
            {
                var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                var detail = "unexpected error" + (error is null ? "" : ": " + error.Message.Replace(settings.DataFolder, "…", StringComparison.Ordinal));
                return new ApiError("internal error", detail).With(StatusCodes.Status500InternalServerError).ExecuteAsync(context);
            },
        });
        app.MapOpenApi();
        JobRoutes.Map(app);
        app.MapGet("/healthz", () => Results.Text("ok\n")).WithSummary("Liveness: the process answers");
        app.MapGet("/readyz", (JobStore store, JobRunner runner) => Ready(settings, store, runner)).WithSummary("Readiness: disk space and room in the queue");
        foreach (var (route, resource, type) in new[]
        {
            ("/", "wwwroot/index.html", "text/html; charset=utf-8"),
            ("/app.js", "wwwroot/app.js", "text/javascript; charset=utf-8"),
            ("/app.css", "wwwroot/app.css", "text/css; charset=utf-8"),
        })
        {
            app.MapGet(route, () => Results.Stream(Page(resource), type)).ExcludeFromDescription();
        }

        return app;
    }

    /// <summary>The address the started service listens on (<c>http://127.0.0.1:8080</c>).</summary>
    public static string Address(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    private static IResult Ready(ServerSettings settings, JobStore store, JobRunner runner)
    {
        var free = new DriveInfo(settings.DataFolder).AvailableFreeSpace;
        var queued = store.Queued().Count;
        var state = new { free_bytes = free, queued, running = runner.RunningCount, max_queued = settings.MaxQueuedJobs };
        return free >= settings.MinFreeBytes && queued < settings.MaxQueuedJobs
            ? Results.Json(state)
            : Results.Json(state, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static Stream Page(string resource) =>
        Assembly.GetExecutingAssembly().GetManifestResourceStream(resource) ?? throw new InvalidOperationException($"{resource} is not in the assembly");
}
