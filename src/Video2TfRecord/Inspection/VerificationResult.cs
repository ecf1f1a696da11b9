namespace Video2TfRecord.Inspection;

/// <summary>What verify found in one file.</summary>
/// <param name="Path">The file.</param>
/// <param name="Records">Records whose checksums passed.</param>
/// <param name="Images">Images that decoded with the declared shape.</param>
/// <param name="Problems">Every problem found, each naming the record and what is wrong; empty when the file is good.</param>
public sealed record VerificationResult(string Path, long Records, long Images, IReadOnlyList<string> Problems)
{
    /// <summary>Whether the file passed.</summary>
    public bool Ok => Problems.Count == 0;
}
