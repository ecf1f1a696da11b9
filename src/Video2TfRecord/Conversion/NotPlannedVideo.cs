using Video2TfRecord.Conversion.Inputs;

namespace Video2TfRecord.Conversion;

/// <summary>A video a dry run leaves out of every file, and why.</summary>
/// <param name="Video">The catalog entry left out.</param>
/// <param name="Reason">Why, in words (for example, no label with <c>--missing-label skip</c>).</param>
public sealed record NotPlannedVideo(CatalogEntry Video, string Reason);
