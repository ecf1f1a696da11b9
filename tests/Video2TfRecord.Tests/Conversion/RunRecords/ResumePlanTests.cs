using Video2TfRecord.Conversion.RunRecords;
using Video2TfRecord.Conversion.Sharding;
using Video2TfRecord.TfRecords;

namespace Video2TfRecord.Tests.Conversion.RunRecords;

public class ResumePlanTests
{
    private static readonly ShardPlan Plan = new(Enumerable.Repeat(false, 6).ToList(), 2, (s, n) => ShardName.Records("videos", TfRecordCompression.None).Format(s, n));

    private static readonly Dictionary<string, string> Options = new() { ["frames"] = "8", ["size"] = "112x112" };

    [Fact]
    public void Without_a_manifest_or_records_the_run_starts_fresh()
    {
        var plan = Decide(previous: null, files: []);

        Assert.Empty(plan.Kept);
        Assert.Empty(plan.Stale);
    }

    [Fact]
    public void Records_without_a_manifest_are_refused_rather_than_guessed()
    {
        var error = Assert.Throws<OptionException>(() => Decide(previous: null, files: ["videos-00000-of-00003.tfrecord"]));

        Assert.Equal("resume", error.Option);
        Assert.Equal("--resume: out holds record files but no manifest.json; give --overwrite to start again", error.Message);
    }

    [Fact]
    public void Changed_options_are_named_with_both_values()
    {
        var previous = Manifest(options: new Dictionary<string, string> { ["frames"] = "16", ["size"] = "112x112", ["flow"] = "dis" });

        var error = Assert.Throws<OptionException>(() => Decide(previous, files: []));

        Assert.Equal("--resume: the options differ from the run in out: --frames 16 → 8, --flow dis → (unset)", error.Message);
    }

    [Fact]
    public void Changed_videos_are_refused()
    {
        var error = Assert.Throws<OptionException>(() => Decide(Manifest(catalog: "other"), files: []));

        Assert.Contains("the input videos differ from the run in out", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_intact_files_under_this_plans_names_are_kept_and_every_other_record_file_of_ours_is_redone()
    {
        var previous = Manifest(files:
        [
            File("videos-00000-of-00003.tfrecord", 0),
            File("videos-00001-of-00003.tfrecord", 1, sha256: "damaged"),
            File("videos-00002-of-00004.tfrecord", 2), // a plan with another shard count
        ]);
        string[] onDisk = ["videos-00000-of-00003.tfrecord", "videos-00001-of-00003.tfrecord", "videos-00002-of-00004.tfrecord"];

        var plan = Decide(previous, onDisk, intact: f => f.Sha256 != "damaged");

        Assert.Equal([0], plan.Kept.Keys);
        Assert.Equal(["videos-00001-of-00003.tfrecord", "videos-00002-of-00004.tfrecord"], plan.Stale);
    }

    private static ResumePlan Decide(RunManifest? previous, string[] files, Func<ManifestFile, bool>? intact = null) =>
        ResumePlan.Decide("out", previous, RunManifest.FileName, Options, "catalog", Plan, files, intact ?? (_ => true));

    private static ManifestFile File(string name, int shard, string sha256 = "ok") => new(name, shard, 2, 100, sha256);

    private static RunManifest Manifest(Dictionary<string, string>? options = null, string catalog = "catalog", ManifestFile[]? files = null) => new()
    {
        ToolVersion = "test",
        Options = options ?? Options,
        OptionsFingerprint = "",
        CatalogFingerprint = catalog,
        Shards = 3,
        Files = files ?? [],
        Totals = new ManifestTotals(0, 0, 0, 0, 0, 0),
        Complete = false,
    };
}
