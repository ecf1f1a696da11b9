using Video2TfRecord.Protos;

namespace Video2TfRecord.Records;

/// <summary>The flow metadata both layouts carry: method, pairs, format.</summary>
internal static class FlowValues
{
    public static void AddCommon(SortedFeatures<Feature> features, FlowImages flow)
    {
        features.Add(ExampleLayout.FlowMethod, FeatureValues.Text(flow.Method));
        features.Add(ExampleLayout.FlowPairs, FeatureValues.Text(OptionWord.Of(flow.Pairs)));
        features.Add(ExampleLayout.FlowFormat, FeatureValues.Text(OptionWord.Of(flow.Format)));
    }
}
