namespace Video2TfRecord.Server.Jobs;

/// <summary>One job as the store keeps it: what <see cref="Job"/> shows, and what running it needs.</summary>
internal sealed record JobRow
{
    public required string Id { get; init; }

    /// <summary>The SHA-256 of the API key that created it, or empty without keys.</summary>
    public required string Owner { get; init; }

    /// <summary>Order of arrival: the queue runs the lowest first.</summary>
    public long Sequence { get; init; }

    public required JobStatus Status { get; init; }

    /// <summary>The job's options as <c>convert</c> arguments (without inputs and output).</summary>
    public required IReadOnlyList<string> Arguments { get; init; }

    public required DateTimeOffset Created { get; init; }

    public DateTimeOffset? Finished { get; init; }

    public int VideosDone { get; init; }

    public int VideosTotal { get; init; }

    public double FramesPerSecond { get; init; }

    public IReadOnlyList<JobFailure> Failures { get; init; } = [];

    public IReadOnlyList<JobFile> Files { get; init; } = [];

    public string? Error { get; init; }

    /// <summary>Whether the job ran before (a restart): it continues with <c>--resume</c>.</summary>
    public bool Started { get; init; }

    /// <summary>The uploads' safe names with the names the client gave them.</summary>
    public IReadOnlyDictionary<string, string> Names { get; init; } = new Dictionary<string, string>();

    public bool IsFinished => Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Interrupted or JobStatus.Cancelled;

    public Job View(int queuePosition) => new(Id, Status.ToString().ToLowerInvariant(), Status == JobStatus.Queued ? queuePosition : 0,
        VideosDone, VideosTotal, Math.Round(FramesPerSecond, 1), Failures, Files, Created, Finished, Error);
}
