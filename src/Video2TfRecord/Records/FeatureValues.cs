using Google.Protobuf;
using Video2TfRecord.Protos;

namespace Video2TfRecord.Records;

/// <summary>Builds single <see cref="Feature"/> values.</summary>
internal static class FeatureValues
{
    public static Feature Int64(long value) => new() { Int64List = new Int64List { Value = { value } } };

    public static Feature Int64s(IEnumerable<long> values)
    {
        var list = new Int64List();
        list.Value.AddRange(values);
        return new Feature { Int64List = list };
    }

    public static Feature Float(float value) => new() { FloatList = new FloatList { Value = { value } } };

    public static Feature Floats(float[] values)
    {
        var list = new FloatList();
        list.Value.AddRange(values);
        return new Feature { FloatList = list };
    }

    public static Feature Text(string value) => Bytes(ByteString.CopyFromUtf8(value));

    public static Feature Bytes(ByteString value) => new() { BytesList = new BytesList { Value = { value } } };

    // Images are wrapped, not copied: they were encoded for this record and are not changed afterwards.
    public static Feature Bytes(ReadOnlyMemory<byte> value) => Bytes(UnsafeByteOperations.UnsafeWrap(value));
}
