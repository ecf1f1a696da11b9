namespace Video2TfRecord.Server.Jobs;

/// <summary>A job as the API shows it (<c>GET /api/jobs/{id}</c>, and the events of <c>/events</c>).</summary>
/// <param name="Id">The job id.</param>
/// <param name="Status">queued, running, succeeded, failed, interrupted or cancelled.</param>
/// <param name="QueuePosition">1 for the next job to start, 2 for the one after; 0 when not waiting.</param>
/// <param name="VideosDone">Videos (or clips) finished, written or not.</param>
/// <param name="VideosTotal">Videos (or clips) the job converts; 0 until it starts.</param>
/// <param name="FramesPerSecond">Frames stored per second so far.</param>
/// <param name="Failures">Uploads and videos not converted, by the name the client gave them, with the reason.</param>
/// <param name="Files">The output files (records, manifest.json, videos.jsonl, …) once the job succeeded.</param>
/// <param name="Created">When the job was accepted (UTC).</param>
/// <param name="Finished">When it ended (UTC), or null.</param>
/// <param name="Error">Why a failed or interrupted job stopped, or null.</param>
internal sealed record Job(
    string Id,
    string Status,
    int QueuePosition,
    int VideosDone,
    int VideosTotal,
    double FramesPerSecond,
    IReadOnlyList<JobFailure> Failures,
    IReadOnlyList<JobFile> Files,
    DateTimeOffset Created,
    DateTimeOffset? Finished,
    string? Error);

/// <summary>An upload or video that was not converted.</summary>
/// <param name="File">The name the client gave it.</param>
/// <param name="Reason">Why.</param>
internal sealed record JobFailure(string File, string Reason);

/// <summary>An output file of a job.</summary>
/// <param name="Name">Its name (<c>GET /api/jobs/{id}/files/{name}</c>).</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Sha256">SHA-256 of its bytes, lower-case hex.</param>
internal sealed record JobFile(string Name, long Bytes, string Sha256);
