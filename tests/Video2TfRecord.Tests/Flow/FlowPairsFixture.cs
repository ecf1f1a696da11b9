using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Flow;

/// <summary>The 128×128 synthetic pairs, made once for all flow tests.</summary>
public sealed class FlowPairsFixture : IDisposable
{
    public const int Size = 128;

    public FlowPair Rotation { get; } = SyntheticFlow.Rotation(Size, Size, 1);

    public FlowPair Translation { get; } = SyntheticFlow.Translation(Size, Size, 1.3, -0.7);

    public FlowPair MovingSquare { get; } = SyntheticFlow.MovingSquare(Size, Size, 2.4, -1.6);

    public FlowPair Get(string name) => name switch
    {
        "rotation" => Rotation,
        "translation" => Translation,
        "square" => MovingSquare,
        _ => throw new ArgumentException($"no pair '{name}'", nameof(name)),
    };

    public void Dispose()
    {
        Rotation.Dispose();
        Translation.Dispose();
        MovingSquare.Dispose();
    }
}
