using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Cli;

/// <summary>docs/cli.md holds every command's real --help: a changed option without regenerated docs fails here.</summary>
public class CliDocsTests
{
    [Theory]
    [InlineData("")]
    [InlineData("convert")]
    [InlineData("inspect")]
    [InlineData("verify")]
    [InlineData("index")]
    [InlineData("preview")]
    [InlineData("merge-manifests")]
    [InlineData("serve")]
    public void Cli_reference_holds_the_real_help(string command)
    {
        var run = CliProcess.Run(command.Length == 0 ? ["--help"] : [command, "--help"]);
        var docs = File.ReadAllText(Repository.Combine("docs", "cli.md"));

        Assert.Equal(0, run.ExitCode);
        var section = $"## video2tfrecord{(command.Length == 0 ? "" : " " + command)}\n\n```text\n{run.Output}```\n";
        Assert.True(docs.Contains(section, StringComparison.Ordinal),
            $"docs/cli.md does not hold the current 'video2tfrecord {command} --help': run scripts/cli-docs.sh after a Release build");
    }
}
