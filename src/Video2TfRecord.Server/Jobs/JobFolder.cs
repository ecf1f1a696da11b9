namespace Video2TfRecord.Server.Jobs;

/// <summary>Where one job's files live: <c>DATA/jobs/ID/</c> with the uploads in <c>input/</c> and the records in <c>output/</c>.</summary>
internal sealed class JobFolder(string dataFolder, string id)
{
    public string Root { get; } = Path.GetFullPath(Path.Combine(dataFolder, "jobs", id));

    public string Input => Path.Combine(Root, "input");

    public string Output => Path.Combine(Root, "output");

    /// <summary>An uploaded annotation CSV (<c>labels</c>, <c>clips</c>).</summary>
    public string Annotation(string part) => Path.Combine(Root, part + ".csv");

    /// <summary>Removes the job's files; a folder already gone is fine.</summary>
    public void Delete()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Gone already (deleted at the same time by another request).
        }
    }
}
