namespace Video2TfRecord.Inspection;

/// <summary>What verify found for one path: each record file it checked and, for an output folder with a manifest, the run.</summary>
/// <param name="Path">The path as given: a record file, a folder of record files, or an output folder.</param>
/// <param name="Files">Each record file checked, in ordinal order of its path.</param>
/// <param name="Run">The run checked against manifest.json; null when <paramref name="Path"/> has no manifest.json.</param>
public sealed record PathVerification(string Path, IReadOnlyList<VerificationResult> Files, RunVerification? Run)
{
    /// <summary>Whether every file and the run passed.</summary>
    public bool Ok => Files.All(f => f.Ok) && Run is not { Ok: false };
}
