namespace Video2TfRecord.Inspection;

/// <summary>What verify found about an output folder as a whole, checked against its manifest.json.</summary>
/// <param name="Folder">The output folder.</param>
/// <param name="Complete">Whether manifest.json says the run finished.</param>
/// <param name="ListedFiles">Record files manifest.json lists.</param>
/// <param name="Shards">Record files the run planned.</param>
/// <param name="Problems">
/// Every problem of the run (not finished, a listed file missing or different, a record count that differs, a record
/// file the manifest does not list), each naming the folder or the file; empty when the folder matches its manifest.
/// </param>
public sealed record RunVerification(string Folder, bool Complete, int ListedFiles, int Shards, IReadOnlyList<string> Problems)
{
    /// <summary>Whether the run passed.</summary>
    public bool Ok => Problems.Count == 0;
}
