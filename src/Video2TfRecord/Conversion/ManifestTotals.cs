namespace Video2TfRecord.Conversion;

/// <summary>Counts over a run, in manifest.json.</summary>
/// <param name="Videos">Videos in the catalog.</param>
/// <param name="Written">Videos written.</param>
/// <param name="Skipped">Videos not written by a policy.</param>
/// <param name="Failed">Videos that could not be read.</param>
/// <param name="Frames">Frames stored.</param>
/// <param name="Bytes">Bytes of finished record files.</param>
public sealed record ManifestTotals(int Videos, int Written, int Skipped, int Failed, long Frames, long Bytes);
