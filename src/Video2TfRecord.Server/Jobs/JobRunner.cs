using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Video2TfRecord.Conversion;
using Video2TfRecord.Conversion.RunRecords;
using Video2TfRecord.Options;

namespace Video2TfRecord.Server.Jobs;

/// <summary>
/// Runs the queued jobs, at most <see cref="ServerSettings.MaxConcurrentJobs"/> at once, oldest first, through the
/// library's own <see cref="VideoConverter"/>. On start it continues the jobs a stopped process left running, with the
/// conversion's <c>--resume</c> (finished shards are kept), or marks them interrupted with the reason.
/// </summary>
internal sealed partial class JobRunner(ServerSettings settings, JobStore store, JobEvents events, ILogger<JobRunner> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<string, Running> _running = new(StringComparer.Ordinal);
    // Starting and deleting a job are decided under this lock, so a job deleted while it was about to start never runs.
    private readonly Lock _gate = new();
    private readonly HashSet<string> _deleting = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0);

    // Expired jobs whose folder could not be deleted, told once each (RemoveExpired runs on the runner's loop alone).
    private readonly HashSet<string> _undeletable = new(StringComparer.Ordinal);
    private CancellationToken _stopping;

    /// <summary>A job that is converting: its live state and how to stop it.</summary>
    private sealed class Running(JobRow row, bool resuming, JobFolder folder) : IDisposable
    {
        public JobRow Row = row;
        public readonly bool Resuming = resuming;
        public readonly JobFolder Folder = folder;
        public readonly CancellationTokenSource Cancel = new();

        // Stops the conversion when the job passed a limit of the service; Limit says which.
        public readonly CancellationTokenSource Stop = new();
        public string? Limit;

        public void Dispose()
        {
            Cancel.Dispose();
            Stop.Dispose();
        }

        public Task Task = Task.CompletedTask;
        public long LastWrite;
        public long LastCheck;
        public int LastCheckedVideos = -1;
    }

    /// <summary>Jobs converting now.</summary>
    public int RunningCount => _running.Count;

    /// <summary>Queues an accepted job and wakes the runner.</summary>
    public void Enqueue(JobRow job)
    {
        events.Publish(View(job));
        _wake.Release();
    }

    /// <summary>The job's newest state: live while it runs, else as stored; null when there is no such job.</summary>
    public JobRow? Find(string id) => _running.TryGetValue(id, out var running) ? running.Row : store.Find(id);

    /// <summary>The job as the API shows it, with its place in the queue.</summary>
    public Job View(JobRow job)
    {
        var position = 0;
        if (job.Status == JobStatus.Queued)
        {
            var queued = store.Queued();
            position = queued.Select(q => q.Id).ToList().IndexOf(job.Id) + 1;
        }

        return job.View(position);
    }

    /// <summary>Stops a running job (and waits until it has stopped) or takes a queued one off the queue; then its files and row go.</summary>
    public async Task DeleteAsync(JobRow job)
    {
        Running? running;
        lock (_gate)
        {
            _deleting.Add(job.Id);
            _running.TryGetValue(job.Id, out running);
        }

        try
        {
            if (running is not null)
            {
                await running.Cancel.CancelAsync().ConfigureAwait(false);
                await running.Task.ConfigureAwait(false);
            }

            // Cancelled first: should the delete fail, the job is not resumed at the next start.
            var cancelled = job with { Status = JobStatus.Cancelled, Finished = DateTimeOffset.UtcNow };
            store.Update(cancelled);
            store.Delete(job.Id);
            new JobFolder(settings.DataFolder, job.Id).Delete();
            events.Publish(cancelled.View(0));
            PublishQueue();
        }
        finally
        {
            lock (_gate)
            {
                _deleting.Remove(job.Id);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        foreach (var job in store.Running())
        {
            // The process stopped while these ran: they continue first, from their finished shards.
            store.Update(job with { Status = JobStatus.Queued, Started = true, Sequence = job.Sequence });
            LogContinued(job.Id);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            while (_running.Count < settings.MaxConcurrentJobs && store.Queued().FirstOrDefault(j => !_running.ContainsKey(j.Id)) is { } next)
            {
                Start(next);
            }

            RemoveExpired();
            try
            {
                await _wake.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(_running.Values.Select(r => r.Task)).ConfigureAwait(false);
    }

    private void Start(JobRow queued)
    {
        lock (_gate)
        {
            // A job being deleted, or deleted since the queue was read, does not start.
            if (_deleting.Contains(queued.Id) || store.Find(queued.Id) is not { Status: JobStatus.Queued })
            {
                return;
            }

            var job = queued with { Status = JobStatus.Running, Started = true };
            var running = new Running(job, resuming: queued.Started, new JobFolder(settings.DataFolder, job.Id));
            store.Update(job);
            running.Task = Task.Run(() => RunAsync(running));
            _running[job.Id] = running;
            events.Publish(View(job));
        }

        PublishQueue();
    }

    // Waiting jobs moved up: their followers learn their new place.
    private void PublishQueue()
    {
        var queued = store.Queued();
        for (var i = 0; i < queued.Count; i++)
        {
            events.Publish(queued[i].View(i + 1));
        }
    }

    private async Task RunAsync(Running running)
    {
        // Started under the gate: wait for Start to finish registering the job before anything can remove it.
        lock (_gate)
        {
        }

        try
        {
            await ConvertAsync(running).ConfigureAwait(false);
        }
        finally
        {
            // Whatever happened, the slot is free again (a store that failed to record the end is logged by Finish).
            _running.TryRemove(running.Row.Id, out _);
            running.Dispose();
            _wake.Release();
        }
    }

    private async Task ConvertAsync(Running running)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(running.Cancel.Token, running.Stop.Token, _stopping);
        var job = running.Row;
        var folder = new JobFolder(settings.DataFolder, job.Id);
        var clock = Stopwatch.StartNew();
        try
        {
            var options = Parse(job, folder, settings, running.Resuming);
            var progress = new SynchronousProgress(p => Report(running, p, clock.Elapsed, options.Labels.File is not null || options.Clips.File is not null));
            var result = await VideoConverter.ConvertAsync(options, progress, stop.Token).ConfigureAwait(false);
            CheckLimits(running, new ConversionProgress(result.VideosTotal, result.VideosTotal, result.FramesWritten), Environment.TickCount64, force: true);
            if (running.Limit is not null)
            {
                // Passed with the last video, after the last report.
                throw new OperationCanceledException(running.Limit);
            }

            // The failures reported while the job ran, with those the result adds (a resumed job's earlier ones).
            var failures = running.Row.Failures.Concat(result.Failures.Select(f => Failure(running.Row, f)).Where(f => !running.Row.Failures.Contains(f))).ToList();
            WriteUploads(folder.Output, job);
            Finish(running, running.Row with
            {
                Status = JobStatus.Succeeded,
                VideosDone = result.VideosTotal,
                VideosTotal = result.VideosTotal,
                FramesPerSecond = result.FramesWritten / Math.Max(clock.Elapsed.TotalSeconds, 1e-3),
                Failures = failures,
                Files = Outputs(folder.Output),
            });
        }
        catch (OperationCanceledException) when (running.Limit is { } limit && !running.Cancel.IsCancellationRequested)
        {
            // Past a limit of the service: the job fails with the reason and its output goes (it is the problem).
            try
            {
                Directory.Delete(folder.Output, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }

            Finish(running, running.Row with { Status = JobStatus.Failed, Error = limit, Files = [] });
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested && !running.Cancel.IsCancellationRequested)
        {
            // The service is stopping: the job stays running in the store and continues when the service starts again.
        }
        catch (OperationCanceledException) when (running.Cancel.IsCancellationRequested)
        {
            // Deleted: DeleteAsync removes the row and the files once this returns.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException || Api.ApiError.IsBadInput(e))
        {
            // A resumed job whose inputs or options no longer match, or a disk that filled: said in the job, nothing hidden.
            Finish(running, running.Row with { Status = running.Resuming ? JobStatus.Interrupted : JobStatus.Failed, Error = folder.Relative(e.Message, settings.DataFolder) });
        }
        catch (Exception e)
        {
            LogFailed(e, job.Id);
            Finish(running, running.Row with { Status = JobStatus.Failed, Error = folder.Relative($"unexpected error: {e.Message}", settings.DataFolder) });
        }
    }

    /// <summary>
    /// The job's conversion options, read by <c>convert</c>'s option table and checked to stay inside the job's folder: its
    /// one input folder, its output folder, and only its own CSVs (a field can never name another path of the server).
    /// </summary>
    internal static Conversion.ConversionOptions Parse(JobRow job, JobFolder folder, ServerSettings settings, bool resume)
    {
        // No environment and no standard input: a job's fields can reach neither.
        var options = ConvertOptionTable.Build([folder.Input], Words(job, folder, settings, resume), new OptionContext(_ => null, TextReader.Null, Environment.ProcessorCount));
        // CSV rows name the videos as the client did; the uploads are stored under safe names (uploads.json).
        options = options with { Inputs = options.Inputs with { GivenNames = job.Names } };
        options.Validate();
        if (options.Output.MaxRecordBytes > settings.MaxRecordBytes)
        {
            throw new OptionException("max-record-bytes", string.Create(CultureInfo.InvariantCulture,
                $"--max-record-bytes: this service writes records of at most {settings.MaxRecordBytes} bytes ({ServerSettings.Section}:MaxRecordBytes), got {options.Output.MaxRecordBytes}"));
        }

        var own = new[] { folder.Annotation("labels"), folder.Annotation("clips") };
        if (options.Inputs.Paths is not [var input] || Path.GetFullPath(input) != folder.Input || options.Inputs.List is not null
            || Path.GetFullPath(options.Output.Directory) != folder.Output || options.Output.Overwrite || options.Output.Resume != resume
            || options.Output.Worker is not null
            || (options.Labels.File is { } labels && !own.Contains(Path.GetFullPath(labels)))
            || (options.Clips.File is { } clips && !own.Contains(Path.GetFullPath(clips))))
        {
            throw new ArgumentException("a field set inputs, the output, --overwrite, --resume, workers or a CSV: the service sets them (upload files in the parts files, labels and clips)");
        }

        return options;
    }

    // The options of the job's conversion: its output, its uploads' CSVs, its own fields (stored as --name=value) and the
    // service's share of the cores. A field's value is only ever that option's word.
    private static OptionWords Words(JobRow job, JobFolder folder, ServerSettings settings, bool resume)
    {
        var words = new OptionWords().Add("output", folder.Output);
        foreach (var part in new[] { "labels", "clips" })
        {
            if (File.Exists(folder.Annotation(part)))
            {
                words.Add(part, folder.Annotation(part));
            }
        }

        foreach (var argument in job.Arguments)
        {
            var field = argument.AsSpan(2);
            var equals = field.IndexOf('=');
            if (equals < 0)
            {
                words.Add(field.ToString());
            }
            else
            {
                words.Add(field[..equals].ToString(), field[(equals + 1)..].ToString());
            }
        }

        if (!words.Contains("max-record-bytes"))
        {
            words.Add("max-record-bytes", settings.MaxRecordBytes.ToString(CultureInfo.InvariantCulture));
        }

        var jobs = settings.JobsPerConversion > 0 ? settings.JobsPerConversion : Math.Max(1, Environment.ProcessorCount / settings.MaxConcurrentJobs);
        words.Add("jobs", jobs.ToString(CultureInfo.InvariantCulture));
        if (resume)
        {
            words.Add("resume");
        }

        return words;
    }

    private void Report(Running running, ConversionProgress progress, TimeSpan elapsed, bool annotated)
    {
        var failures = running.Row.Failures;
        if (progress.Failure is { } failure)
        {
            failures = [.. failures, Failure(running.Row, failure)];
        }
        else if (annotated && progress.Notice is { } notice && CsvNamed(notice, running.Folder) is { } csv)
        {
            // A notice about an uploaded CSV (rows that match no upload): the job says so beside its failures.
            var words = notice.StartsWith("warning: ", StringComparison.Ordinal) ? notice["warning: ".Length..] : notice;
            failures = [.. failures, new JobFailure(csv, running.Folder.Relative(words, settings.DataFolder))];
        }

        running.Row = running.Row with
        {
            VideosDone = progress.VideosDone,
            VideosTotal = progress.VideosTotal,
            FramesPerSecond = progress.FramesDone / Math.Max(elapsed.TotalSeconds, 1e-3),
            Failures = failures,
        };
        events.Publish(running.Row.View(0));
        var now = Environment.TickCount64;
        if (now - running.LastWrite >= 1000)
        {
            running.LastWrite = now;
            store.Update(running.Row);
        }

        CheckLimits(running, progress, now);
    }

    // The job's output and the disk, at each finished video and at most every 250 ms in between (the converter reports
    // at least once a second while it decodes).
    private void CheckLimits(Running running, ConversionProgress progress, long now, bool force = false)
    {
        if (running.Limit is not null || (!force && progress.VideosDone == running.LastCheckedVideos && now - running.LastCheck < 250))
        {
            return;
        }

        (running.LastCheck, running.LastCheckedVideos) = (now, progress.VideosDone);
        var bytes = running.Folder.OutputBytes();
        if (bytes > settings.MaxOutputBytes)
        {
            running.Limit = string.Create(CultureInfo.InvariantCulture,
                $"the job's output passed {settings.MaxOutputBytes} bytes ({ServerSettings.Section}:MaxOutputBytes) after {progress.VideosDone} of {progress.VideosTotal} videos: ask for fewer or smaller frames (frames, fps, size, encoding)");
        }
        else if (FreeBytes(settings.DataFolder) < settings.MinFreeBytes)
        {
            running.Limit = string.Create(CultureInfo.InvariantCulture,
                $"less than {settings.MinFreeBytes} bytes were left on the service's disk ({ServerSettings.Section}:MinFreeBytes) after {progress.VideosDone} of {progress.VideosTotal} videos: try again later");
        }

        if (running.Limit is not null)
        {
            running.Stop.Cancel();
        }
    }

    private static long FreeBytes(string folder)
    {
        try
        {
            return new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return long.MaxValue;
        }
    }

    // labels.csv or clips.csv when the notice names the job's copy of it.
    private static string? CsvNamed(string notice, JobFolder folder) =>
        new[] { "labels", "clips" }.Where(part => notice.Contains(folder.Annotation(part), StringComparison.Ordinal)).Select(part => part + ".csv").FirstOrDefault();

    private JobFailure Failure(JobRow job, VideoFailure failure) =>
        new(Original(job, failure), new JobFolder(settings.DataFolder, job.Id).Relative(failure.Reason, settings.DataFolder));

    private void Finish(Running running, JobRow job)
    {
        var finished = job with { Finished = DateTimeOffset.UtcNow };
        running.Row = finished;
        try
        {
            store.Update(finished);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException)
        {
            // The job's end is told to its followers even when the disk could not record it.
            LogFailed(e, job.Id);
        }

        events.Publish(finished.View(0));
        LogFinished(job.Id, finished.Status);
    }

    // The name the client gave a video: its uploads are the only inputs, so the relative path is the safe name.
    private static string Original(JobRow job, VideoFailure failure)
    {
        var name = job.Names.GetValueOrDefault(failure.Path, failure.Path);
        return failure.ClipId is null ? name : $"{name} (clip {failure.ClipId})";
    }

    // uploads.json beside the manifest: each upload's safe name with the name the client gave it.
    private static void WriteUploads(string output, JobRow job)
    {
        var uploads = job.Names.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => new { name = n.Key, original = n.Value });
        File.WriteAllText(Path.Combine(output, "uploads.json"), System.Text.Json.JsonSerializer.Serialize(uploads) + "\n");
    }

    // Every file of the output folder, records with the SHA-256 the manifest lists, the rest hashed here.
    private static List<JobFile> Outputs(string output)
    {
        var manifest = RunManifest.Read(output);
        var listed = manifest?.Files.ToDictionary(f => f.Name, f => f.Sha256, StringComparer.Ordinal) ?? [];
        var files = new List<JobFile>();
        foreach (var path in Directory.EnumerateFiles(output).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith('.'))
            {
                continue;
            }

            string sha256;
            if (!listed.TryGetValue(name, out var known))
            {
                using var stream = File.OpenRead(path);
                sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
            }
            else
            {
                sha256 = known;
            }

            files.Add(new JobFile(name, new FileInfo(path).Length, sha256));
        }

        return files;
    }

    // Finished jobs past their time to live go, with their files. The files go first: a job the API no longer lists
    // never leaves a folder behind, and a service stopped in between finds the job again on its next pass.
    private void RemoveExpired()
    {
        foreach (var job in store.FinishedBefore(DateTimeOffset.UtcNow - settings.ResultTtl))
        {
            try
            {
                new JobFolder(settings.DataFolder, job.Id).Delete();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A folder that cannot be deleted (its permissions changed by hand) is the operator's to fix; the job
                // stays listed and the service goes on (throwing here stopped the host, and at every start again).
                if (_undeletable.Add(job.Id))
                {
                    LogUndeletable(e, job.Id);
                }

                continue;
            }

            store.Delete(job.Id);
            LogExpired(job.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "job {Id} was running when the service stopped: it continues")]
    private partial void LogContinued(string id);

    [LoggerMessage(Level = LogLevel.Information, Message = "job {Id} {Status}")]
    private partial void LogFinished(string id, JobStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "job {Id} expired, but its folder cannot be deleted: it stays listed until it can")]
    private partial void LogUndeletable(Exception exception, string id);

    [LoggerMessage(Level = LogLevel.Information, Message = "job {Id} expired: its files are deleted")]
    private partial void LogExpired(string id);

    [LoggerMessage(Level = LogLevel.Error, Message = "job {Id} failed")]
    private partial void LogFailed(Exception exception, string id);

    // Progress<T> would post to the thread pool; the converter reports synchronously, in order.
    private sealed class SynchronousProgress(Action<ConversionProgress> report) : IProgress<ConversionProgress>
    {
        public void Report(ConversionProgress value) => report(value);
    }
}
