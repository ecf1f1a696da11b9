namespace Video2TfRecord.Conversion.Annotations;

/// <summary>The class of a video, as stored in its record and listed in <c>labels.json</c>.</summary>
/// <param name="Index">The class number, 0 or more: the label's own value when every label of the table is a number, else its rank in the ordinal sort of all labels.</param>
/// <param name="Text">The label as written in the CSV file or as the folder is named.</param>
public sealed record VideoLabel(int Index, string Text);
