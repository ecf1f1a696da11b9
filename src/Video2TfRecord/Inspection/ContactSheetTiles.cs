namespace Video2TfRecord.Inspection;

/// <summary>What <see cref="ContactSheet.Write"/> drew.</summary>
/// <param name="Drawn">Frames drawn on the sheet (at most its maximum tiles).</param>
/// <param name="Stored">Frames the record stores.</param>
public sealed record ContactSheetTiles(int Drawn, int Stored);
