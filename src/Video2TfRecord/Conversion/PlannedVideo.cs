using Video2TfRecord.Conversion.Annotations;
using Video2TfRecord.Conversion.Inputs;

namespace Video2TfRecord.Conversion;

/// <summary>A video (or clip) a dry run places in a file, in record order.</summary>
/// <param name="Video">The catalog entry: its path, relative path and id.</param>
/// <param name="Label">Its label when the run has labels; null otherwise.</param>
public sealed record PlannedVideo(CatalogEntry Video, VideoLabel? Label);
