namespace Video2TfRecord.Server.Jobs;

/// <summary>Where a job is.</summary>
internal enum JobStatus
{
    /// <summary>Uploaded, waiting for a free slot.</summary>
    Queued,

    /// <summary>Converting.</summary>
    Running,

    /// <summary>Finished; some videos may be listed as failures.</summary>
    Succeeded,

    /// <summary>Could not run (its options, or an error of the service).</summary>
    Failed,

    /// <summary>Stopped by a restart of the service and could not be continued.</summary>
    Interrupted,

    /// <summary>Stopped by a DELETE.</summary>
    Cancelled,
}
