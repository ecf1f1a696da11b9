using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Video2TfRecord.Server;

namespace Video2TfRecord.Tests.Fixtures;

/// <summary>The web service, started in this process on a free loopback port with a data folder of its own; real HTTP.</summary>
public sealed class ServiceHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _data = new();

    private ServiceHost(WebApplication app, TempDirectory data)
    {
        (_app, _data) = (app, data);
        Address = new Uri(VideoService.Address(app));
        Client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public string DataFolder => _data.Path;

    public static async Task<ServiceHost> StartAsync(Action<ServerSettings>? configure = null)
    {
        var data = new TempDirectory();
        var app = VideoService.Build([], settings =>
        {
            settings.Port = 0;
            settings.DataFolder = data.Path;
            settings.MinFreeBytes = 0;
            configure?.Invoke(settings);
        },
        // No console logger in the test process: System.Console's locks deadlocked between its writer thread and
        // Playwright setting Console.OutputEncoding while it starts its driver (seen with dotnet-stack).
        logging => logging.ClearProviders());
        await app.StartAsync();
        return new ServiceHost(app, data);
    }

    /// <summary>A multipart job: the videos as parts named files (with the names given), then the fields.</summary>
    public static MultipartFormDataContent Form(IEnumerable<(string Path, string Name)> videos, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (path, name) in videos)
        {
            var file = new StreamContent(File.OpenRead(path));
            file.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
            form.Add(file, "files", name);
        }

        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        return form;
    }

    /// <summary>Posts a job and returns the status code and the JSON answer.</summary>
    public async Task<(int Status, JsonElement Body)> PostAsync(HttpContent form, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = form };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        using var response = await Client.SendAsync(request);
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    /// <summary>Follows the job's server-sent events to its done event and returns the events (name, JSON) in order.</summary>
    public async Task<List<(string Event, JsonElement Job)>> FollowAsync(string id, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/jobs/{id}/events");
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        // A job that never ends is a failure with the events so far, not a test run that hangs.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var events = new List<(string, JsonElement)>();
        string? name = null;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((name ?? "message", JsonDocument.Parse(line[6..]).RootElement.Clone()));
                if (name == "done")
                {
                    break;
                }
            }
        }

        return events;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _data.Dispose();
    }
}
