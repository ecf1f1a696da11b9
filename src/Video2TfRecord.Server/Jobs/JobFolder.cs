namespace Video2TfRecord.Server.Jobs;

/// <summary>Where one job's files live: <c>DATA/jobs/ID/</c> with the uploads in <c>input/</c> and the records in <c>output/</c>.</summary>
internal sealed class JobFolder(string dataFolder, string id)
{
    public string Root { get; } = Path.GetFullPath(Path.Combine(dataFolder, "jobs", id));

    public string Input => Path.Combine(Root, "input");

    public string Output => Path.Combine(Root, "output");

    /// <summary>An uploaded annotation CSV (<c>labels</c>, <c>clips</c>).</summary>
    public string Annotation(string part) => Path.Combine(Root, part + ".csv");

    /// <summary>
    /// <paramref name="text"/> (an error, a reason) with the server's paths of this job made job-relative: an upload is
    /// named by its saved name, an output file by its name, the CSVs as <c>labels.csv</c> and <c>clips.csv</c>, the folders
    /// as <c>input</c> and <c>output</c>, and any other path under the data folder as <c>…</c>. Clients never see where the
    /// server keeps their files.
    /// </summary>
    public string Relative(string text, string dataFolder)
    {
        ArgumentNullException.ThrowIfNull(text);
        var root = Root.TrimEnd('/');
        var data = Path.GetFullPath(dataFolder).TrimEnd('/');
        return text
            .Replace(root + "/input/", "", StringComparison.Ordinal)
            .Replace(root + "/output/", "", StringComparison.Ordinal)
            .Replace(root + "/", "", StringComparison.Ordinal)
            .Replace(root, "the job's folder", StringComparison.Ordinal)
            .Replace(data + "/", "…/", StringComparison.Ordinal)
            .Replace(data, "…", StringComparison.Ordinal);
    }

    /// <summary>The size of the job's output folder, temporary files included; 0 while it does not exist.</summary>
    public long OutputBytes()
    {
        try
        {
            return new DirectoryInfo(Output).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true })
                .Sum(file => file.Length);
        }
        catch (DirectoryNotFoundException)
        {
            return 0;
        }
    }

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
