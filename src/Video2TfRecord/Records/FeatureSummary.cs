namespace Video2TfRecord.Records;

/// <summary>One key of a record as inspect shows it.</summary>
/// <param name="Key">The feature name.</param>
/// <param name="Type"><c>bytes</c>, <c>int64</c>, <c>float</c> or <c>empty</c>.</param>
/// <param name="Count">Values in the feature, or steps in a feature list.</param>
/// <param name="IsFeatureList">Whether this is a SequenceExample feature list (one value per step).</param>
public sealed record FeatureSummary(string Key, string Type, int Count, bool IsFeatureList);
