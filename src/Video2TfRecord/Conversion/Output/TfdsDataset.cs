using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Video2TfRecord.Conversion.Annotations;
using Video2TfRecord.Conversion.RunRecords;
using Video2TfRecord.Frames;
using Video2TfRecord.Records;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Conversion.Output;

/// <summary>
/// What makes an output folder of <c>--layout tfds</c> a TensorFlow Datasets dataset directory that
/// <c>tfds.builder_from_directory(folder)</c> reads: the options TFDS can represent, and the metadata files written at
/// the end of a complete run — <c>features.json</c>, <c>label.labels.txt</c> (with labels) and <c>dataset_info.json</c>.
/// </summary>
/// <remarks>
/// The JSON forms are what TFDS writes: <c>json_format.MessageToDict</c> of the <c>tensorflow_datasets.Feature</c> proto
/// (core/features/feature.py <c>save_config</c>, core/proto/feature.proto) and <c>MessageToJson(sort_keys=True)</c> of the
/// <c>tensorflow_datasets.DatasetInfo</c> proto (core/dataset_info.py, core/proto/dataset_info.proto): lowerCamelCase
/// field names, int64 values as JSON strings, fields at their default value left out.
/// </remarks>
internal static class TfdsDataset
{
    /// <summary>The DatasetInfo file TFDS reads first.</summary>
    public const string DatasetInfoFileName = "dataset_info.json";

    /// <summary>The FeaturesDict description TFDS rebuilds the features from.</summary>
    public const string FeaturesFileName = "features.json";

    /// <summary>The ClassLabel names, one per line (TFDS's <c>{feature}.labels.txt</c>).</summary>
    public const string LabelNamesFileName = TfdsLayout.Label + ".labels.txt";

    /// <summary>The dataset version written into dataset_info.json.</summary>
    public const string Version = "1.0.0";

    private const string FeaturePackage = "tensorflow_datasets.core.features.";

    /// <summary>The TFDS metadata files a run writes (the label names only when it has labels).</summary>
    public static IReadOnlyList<string> MetadataFiles { get; } = [DatasetInfoFileName, FeaturesFileName, LabelNamesFileName];

    /// <summary>Whether <paramref name="fileName"/> is one of <see cref="MetadataFiles"/>.</summary>
    public static bool IsMetadataFile(string fileName) =>
        fileName is DatasetInfoFileName or FeaturesFileName or LabelNamesFileName;

    /// <summary>Refuses label texts that TFDS's label file cannot hold unchanged (it strips each line and drops empty ones).</summary>
    /// <exception cref="OptionException">A label has a line break or surrounding spaces, or two labels would read back equal.</exception>
    public static void CheckLabels(LabelTable? table)
    {
        if (table is null)
        {
            return;
        }

        foreach (var label in table.Labels)
        {
            if (label.Text.Length == 0 || label.Text.AsSpan().IndexOfAny('\n', '\r') >= 0 || label.Text.Trim().Length != label.Text.Length)
            {
                throw new OptionException("labels", $"--layout tfds: label '{label.Text}' cannot be a TFDS class name (no line breaks or leading/trailing spaces); rename it in the labels");
            }
        }
    }

    /// <summary>
    /// Writes features.json, label.labels.txt (with labels) and, last, dataset_info.json, each under a temporary name
    /// renamed when complete, describing <paramref name="files"/> as their splits (<c>--split</c>, default <c>train</c>, for a run without split annotations).
    /// </summary>
    /// <param name="options">The run's options.</param>
    /// <param name="labels">The run's label table, or <see langword="null"/> without labels.</param>
    /// <param name="files">Every record file of the run, in shard order.</param>
    /// <param name="format">The shards' format: how many of a file's bytes are records.</param>
    /// <exception cref="IOException">A file cannot be written.</exception>
    internal static void Write(ConversionOptions options, LabelTable? labels, IReadOnlyList<ManifestFile> files, IShardFormat format)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(files);
        var directory = options.Output.Directory;
        var names = labels is null ? null : ClassNames(labels);
        WriteAtomically(directory, FeaturesFileName, Json(json => WriteFeatures(json, options, names?.Count)));
        if (names is not null)
        {
            WriteAtomically(directory, LabelNamesFileName, Encoding.UTF8.GetBytes(string.Join("\n", names) + "\n"));
        }

        WriteAtomically(directory, DatasetInfoFileName, Json(json => WriteDatasetInfo(json, options, labels is not null, files, format)));
    }

    /// <summary>
    /// Class names by index 0..max: the label text, or the index itself where the labels leave a gap (integer labels
    /// such as 1, 5), because TFDS's ClassLabel numbers its names from 0 without holes.
    /// </summary>
    public static IReadOnlyList<string> ClassNames(LabelTable labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var count = labels.Labels.Count == 0 ? 0 : labels.Labels.Max(l => l.Index) + 1;
        var names = new string[count];
        foreach (var label in labels.Labels)
        {
            names[label.Index] = label.Text;
        }

        for (var i = 0; i < count; i++)
        {
            names[i] ??= i.ToString(CultureInfo.InvariantCulture);
        }

        return names;
    }

    private static void WriteFeatures(Utf8JsonWriter json, ConversionOptions options, int? classes)
    {
        var c = CultureInfo.InvariantCulture;
        // -1 is how TFDS's Shape proto writes an unknown dimension (feature.py to_shape_proto).
        var length = options.Sampling.Frames.Count is { } n ? n.ToString(c) : "-1";
        var resize = options.Images.Resize;
        var fixedSize = resize.Size is not null && resize.Mode != ResizeMode.ShortSide;
        var height = fixedSize ? resize.Size!.Height.ToString(c) : "-1";
        var width = fixedSize ? resize.Size!.Width.ToString(c) : "-1";
        var channels = options.Images.Color == ColorMode.Gray ? "1" : "3";

        json.WriteStartObject();
        json.WriteString("pythonClassName", FeaturePackage + "features_dict.FeaturesDict");
        json.WriteStartObject("featuresDict");
        json.WriteStartObject("features");
        // Ordinal key order, as in the records.
        Tensor(json, TfdsLayout.FrameCount, []);
        Tensor(json, TfdsLayout.FrameIndices, [length]);
        if (classes is { } count)
        {
            Feature(json, TfdsLayout.Label, "class_label_feature.ClassLabel", "classLabel");
            json.WriteString("numClasses", count.ToString(c));
            End(json);
        }

        Tensor(json, TfdsLayout.TimestampsUs, [length]);
        Feature(json, TfdsLayout.Video, "video_feature.Video", "video");
        Shape(json, [length, height, width, channels]);
        json.WriteString("dtype", RecordValues.DtypeName(options.Images.PixelType));
        json.WriteString("encodingFormat", options.Images.Encoding == ImageEncoding.Png ? "png" : "jpeg");
        End(json);
        Feature(json, TfdsLayout.VideoId, "text_feature.Text", "text");
        End(json);
        Feature(json, TfdsLayout.VideoPath, "text_feature.Text", "text");
        End(json);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void Feature(Utf8JsonWriter json, string name, string pythonClass, string content)
    {
        json.WriteStartObject(name);
        json.WriteString("pythonClassName", FeaturePackage + pythonClass);
        json.WriteStartObject(content);
    }

    private static void End(Utf8JsonWriter json)
    {
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void Tensor(Utf8JsonWriter json, string name, string[] dimensions)
    {
        Feature(json, name, "tensor_feature.Tensor", "tensor");
        Shape(json, dimensions);
        json.WriteString("dtype", "int64");
        json.WriteString("encoding", "none");
        End(json);
    }

    private static void Shape(Utf8JsonWriter json, string[] dimensions)
    {
        json.WriteStartObject("shape");
        // A scalar's Shape message is set but empty: {} (repeated fields at default are left out).
        if (dimensions.Length > 0)
        {
            json.WriteStartArray("dimensions");
            foreach (var dimension in dimensions)
            {
                json.WriteStringValue(dimension);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static void WriteDatasetInfo(Utf8JsonWriter json, ConversionOptions options, bool labeled, IReadOnlyList<ManifestFile> files, IShardFormat format)
    {
        var c = CultureInfo.InvariantCulture;
        // Keys sorted, as MessageToJson(sort_keys=True) writes them. filepathTemplate is left out: TFDS versions that know
        // it default to the same template, and older ones refuse unknown fields (json_format.Parse).
        json.WriteStartObject();
        json.WriteString("description", $"Videos converted by video2tfrecord {VideoConverter.ToolVersion}: {options.Sampling.Frames} frames per video.");
        json.WriteString("fileFormat", TfdsLayout.FileFormat);
        json.WriteString("name", options.Output.Prefix);
        json.WriteStartArray("splits");
        // One entry per split, in the order the run wrote them (split names sorted); a run without splits has one.
        foreach (var split in files.GroupBy(f => f.Split ?? options.Output.Split))
        {
            json.WriteStartObject();
            json.WriteString("name", split.Key);
            // TFDS counts the serialized examples, not the TFRecord framing (16 bytes per record).
            json.WriteString("numBytes", split.Sum(f => format.PayloadBytes(f.Bytes, f.Records)).ToString(c));
            json.WriteStartArray("shardLengths");
            foreach (var file in split)
            {
                json.WriteStringValue(file.Records.ToString(c));
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (labeled)
        {
            json.WriteStartObject("supervisedKeys");
            json.WriteString("input", TfdsLayout.Video);
            json.WriteString("output", TfdsLayout.Label);
            json.WriteEndObject();
        }

        json.WriteString("version", Version);
        json.WriteEndObject();
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(json);
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    private static void WriteAtomically(string directory, string name, byte[] content) =>
        AtomicFile.WriteAllBytes(Path.Combine(directory, name), content);

}
