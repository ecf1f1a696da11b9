namespace Video2TfRecord.Records;

/// <summary>The one place that maps a <see cref="RecordLayout"/> to its implementation.</summary>
internal static class RecordLayouts
{
    /// <summary>The implementation of <paramref name="layout"/>.</summary>
    public static IRecordLayout For(RecordLayout layout) => layout switch
    {
        RecordLayout.Example => ExampleLayout.Instance,
        RecordLayout.Sequence => SequenceLayout.Instance,
        RecordLayout.Tfds => TfdsLayout.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, "Unknown record layout."),
    };
}
