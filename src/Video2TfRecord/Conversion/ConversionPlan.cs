namespace Video2TfRecord.Conversion;

/// <summary>What a run would do (<c>--dry-run</c>): every planned file with its videos, and the videos left out.</summary>
/// <param name="Files">The output files in shard order.</param>
/// <param name="NotPlanned">Videos that take no place in the plan (no label with <c>--missing-label skip</c>), with the reason.</param>
public sealed record ConversionPlan(IReadOnlyList<PlannedFile> Files, IReadOnlyList<NotPlannedVideo> NotPlanned)
{
    /// <summary>Videos the plan writes.</summary>
    public int VideoCount => Files.Sum(f => f.Videos.Count);
}

/// <summary>One planned output file.</summary>
/// <param name="Name">Its final file name.</param>
/// <param name="Shard">Its shard number.</param>
/// <param name="Videos">Its videos in record order, with their labels when the run has labels.</param>
public sealed record PlannedFile(string Name, int Shard, IReadOnlyList<PlannedVideo> Videos);
