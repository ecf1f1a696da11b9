using System.Text.RegularExpressions;
using Video2TfRecord.Options;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Deploy;

/// <summary>
/// deploy/kubernetes against the Kubernetes API schema (kubernetes-models, strict: unknown fields are errors, as
/// <c>kubectl apply --validate=strict</c> says), through tests/node/validate-kubernetes.mjs; and the checker itself
/// refuses manifests broken the ways people break them. The options the manifests pass are this CLI's.
/// </summary>
public sealed partial class KubernetesManifestTests
{
    private static readonly string[] Manifests = ["convert-job.yaml", "merge-job.yaml", "server.yaml"];

    private static CliRunner.Outcome Validate(params string[] files) =>
        CliProcess.RunProgram([NodeJs.Program, Repository.Combine("tests", "node", "validate-kubernetes.mjs"), .. files]);

    [Fact]
    public void The_shipped_manifests_pass_the_schema_check()
    {
        var result = Validate([.. Manifests.Select(m => Repository.Combine("deploy", "kubernetes", m))]);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        foreach (var kind in new[] { "Secret/video2tfrecord-s3", "Job/video2tfrecord-convert", "Job/video2tfrecord-merge",
                     "PersistentVolumeClaim/video2tfrecord-data", "Deployment/video2tfrecord", "Service/video2tfrecord" })
        {
            Assert.Contains($": {kind}", result.Output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("completionMode: Indexed", "completionMode: Indexd", "spec.completionMode: must be equal to one of the allowed values")]
    [InlineData("  parallelism: 4", "  parallelsim: 4", "unknown field \"parallelsim\"")]
    [InlineData("  completions: 4", "  completions: \"four\"", "spec.completions: must be integer")]
    [InlineData("              cpu: \"4\"", "              cpu: \"8\"", "cpu request 8 differs from --jobs 4")]
    public void A_broken_convert_job_is_refused(string good, string bad, string message)
    {
        using var temp = new TempDirectory();
        var text = File.ReadAllText(Repository.Combine("deploy", "kubernetes", "convert-job.yaml"));
        Assert.Contains(good, text, StringComparison.Ordinal);
        File.WriteAllText(temp.Combine("broken.yaml"), text.Replace(good, bad, StringComparison.Ordinal));

        var result = Validate(temp.Combine("broken.yaml"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_server_probes_the_health_routes_and_keeps_its_data_on_the_claim()
    {
        var text = File.ReadAllText(Repository.Combine("deploy", "kubernetes", "server.yaml"));

        Assert.Matches(@"livenessProbe:\s+httpGet:\s+path: /healthz", text);
        Assert.Matches(@"readinessProbe:\s+httpGet:\s+path: /readyz", text);
        Assert.Matches(@"claimName: video2tfrecord-data", text);
    }

    [Fact]
    public void Every_option_the_manifests_and_scripts_pass_is_one_of_the_commands()
    {
        var known = ConvertOptionTable.All.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        // The containers' args (commented-out ones too: they are the documented variants), and the array script's command.
        var used = Manifests.SelectMany(m => ArgsItem().Matches(File.ReadAllText(Repository.Combine("deploy", "kubernetes", m))))
            .Select(m => ("kubernetes", m.Groups[1].Value)).ToList();
        var script = File.ReadAllText(Repository.Combine("deploy", "slurm", "convert-array.sbatch"));
        var start = script.IndexOf("convert \"$INPUT\"", StringComparison.Ordinal);
        var command = script[start..script.IndexOf("|| status", start, StringComparison.Ordinal)];
        used.AddRange(LongOption().Matches(command).Select(m => ("slurm", m.Groups[1].Value)));

        Assert.Contains(("kubernetes", "worker-index"), used);
        Assert.Contains(("slurm", "worker-count"), used);
        Assert.All(used, u => Assert.True(known.Contains(u.Item2), $"{u.Item1}: --{u.Item2} is not an option of convert"));
    }

    [GeneratedRegex(@"^\s*(?:#\s*)?- --([a-z][a-z0-9-]+)", RegexOptions.Multiline)]
    private static partial Regex ArgsItem();

    [GeneratedRegex(@"--([a-z][a-z0-9-]+)")]
    private static partial Regex LongOption();
}
