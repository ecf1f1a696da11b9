using System.CommandLine;
using Video2TfRecord.Server;

namespace Video2TfRecord.Cli;

/// <summary><c>video2tfrecord serve</c>: the web service, whose jobs' fields are <c>convert</c>'s options (the library's option table).</summary>
internal static class ServeCommand
{
    public static Command Create(TextWriter output)
    {
        var port = new Option<int?>("--port") { Description = "Port to listen on (default 8080; 0: any free port, printed)" };
        var host = new Option<string?>("--host") { Description = "Address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)" };
        var data = new Option<string?>("--data") { Description = "Folder for the job database and the jobs' files (default ./video2tfrecord-data)" };
        var command = new Command("serve", "Run the web service: upload videos in a browser or over HTTP, get TFRecord files back (settings: Video2TfRecord:Server, docs/server.md).")
        {
            port, host, data,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var app = VideoService.Build([], settings =>
            {
                settings.Port = parsed.GetValue(port) ?? settings.Port;
                settings.Host = parsed.GetValue(host) ?? settings.Host;
                settings.DataFolder = parsed.GetValue(data) ?? settings.DataFolder;
            });
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var settings = (ServerSettings)app.Services.GetService(typeof(ServerSettings))!;
            await output.WriteLineAsync($"video2tfrecord: serving on {VideoService.Address(app)}, data in {settings.DataFolder}").ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // SIGINT or SIGTERM: running jobs stay running in the database and continue at the next start.
            }

            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
