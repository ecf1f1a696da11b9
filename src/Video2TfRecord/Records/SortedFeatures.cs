using Google.Protobuf.Collections;

namespace Video2TfRecord.Records;

/// <summary>
/// Collects named entries and writes them into a protobuf map in ordinal key order, so the same input serializes to the
/// same bytes in every run (protobuf maps serialize in insertion order).
/// </summary>
internal sealed class SortedFeatures<TValue>
{
    private readonly SortedDictionary<string, TValue> _entries = new(StringComparer.Ordinal);

    public void Add(string key, TValue value) => _entries.Add(key, value);

    public void CopyTo(MapField<string, TValue> map)
    {
        foreach (var (key, value) in _entries)
        {
            map.Add(key, value);
        }
    }
}
