namespace Video2TfRecord.Conversion.Annotations;

/// <summary>Where videos get their labels: a CSV, or their parent folders; and what happens to videos without one.</summary>
public sealed record LabelOptions
{
    /// <summary>No labels.</summary>
    public static LabelOptions None { get; } = new();

    /// <summary>A CSV with a header row that gives each video its label (<c>--labels</c>).</summary>
    public string? File { get; init; }

    /// <summary>The CSV column naming the videos, when it is not one of the recognized names.</summary>
    public string? VideoColumn { get; init; }

    /// <summary>The CSV column holding the labels, when it is not <c>label</c>.</summary>
    public string? LabelColumn { get; init; }

    /// <summary>Take each video's parent folder name as its label (UCF101/Kinetics trees).</summary>
    public bool FromFolder { get; init; }

    /// <summary>What happens to videos the labels do not cover.</summary>
    public MissingLabelPolicy Missing { get; init; } = MissingLabelPolicy.Skip;

    /// <summary>Whether the run has labels at all.</summary>
    public bool Enabled => File is not null || FromFolder;

    /// <summary>Checks that one source is given and that the column names go with a CSV.</summary>
    /// <exception cref="OptionException">The options contradict each other.</exception>
    public void Validate()
    {
        if (File is not null && FromFolder)
        {
            throw new OptionException("labels", "--labels and --labels-from-folder contradict each other: give one");
        }

        if (File is null && (VideoColumn is not null || LabelColumn is not null))
        {
            throw new OptionException("labels", "--label-video-column and --label-column need --labels FILE.csv");
        }
    }

    /// <summary>The values that shape the output, by option name.</summary>
    /// <param name="csvSha256">The SHA-256 of the CSV's bytes as the run read it (with <see cref="File"/>).</param>
    public IEnumerable<KeyValuePair<string, string>> Describe(string? csvSha256)
    {
        yield return new("labels", FromFolder ? "folder" : File is null ? "none" : "csv sha256 " + csvSha256);
        yield return new("label-column", LabelColumn ?? "");
        yield return new("label-video-column", VideoColumn ?? "");
        yield return new("missing-label", Enabled ? OptionWord.Of(Missing) : "");
    }
}
