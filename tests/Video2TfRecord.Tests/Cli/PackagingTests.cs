using System.IO.Compression;
using System.Xml.Linq;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Cli;

/// <summary>The packages as users get them: the library with its docs, and the CLI installed as a dotnet tool.</summary>
public class PackagingTests
{
    private static void Pack(string project, string feed)
    {
        var run = CliProcess.RunProgram("dotnet", "pack", Repository.Combine("src", project), "-c", "Release", "--no-build", "--nologo", "-o", feed);
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
    }

    [Fact]
    public void Library_package_carries_readme_license_and_xml_docs()
    {
        using var temp = new TempDirectory();
        Pack("Video2TfRecord", temp.Combine("feed"));

        using var package = ZipFile.OpenRead(Directory.GetFiles(temp.Combine("feed"), "Video2TfRecord.*.nupkg").Single());
        var names = package.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("README.md", names);
        Assert.Contains("lib/net10.0/Video2TfRecord.dll", names);
        Assert.Contains("lib/net10.0/Video2TfRecord.xml", names);
        using var nuspec = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        var metadata = XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
        Assert.Equal("MIT", Value("license"));
        Assert.Equal("README.md", Value("readme"));
        // Source Link: built from a git checkout, the package records the commit it was built from.
        if (Directory.Exists(Repository.Combine(".git")) || File.Exists(Repository.Combine(".git")))
        {
            Assert.Matches("^[0-9a-f]{40}$", metadata.Elements().Single(e => e.Name.LocalName == "repository").Attribute("commit")!.Value);
        }

        Assert.Single(Directory.GetFiles(temp.Combine("feed"), "Video2TfRecord.*.snupkg"));
    }

    [Fact]
    public void Cli_installs_as_a_dotnet_tool_whose_command_converts()
    {
        using var temp = new TempDirectory();
        Pack("Video2TfRecord.Cli", temp.Combine("feed"));
        var install = CliProcess.RunProgram("dotnet", "tool", "install", "Video2TfRecord.Cli", "--tool-path", temp.Combine("tools"), "--add-source", temp.Combine("feed"));
        Assert.True(install.ExitCode == 0, install.Output + install.Error);
        var command = temp.Combine("tools", "video2tfrecord");

        var version = CliProcess.RunProgram(command, "--version");
        TestVideo.Create(temp.Combine("in"), "clip", 10, TestCodec.H264Mp4, 64, 48);
        var convert = CliProcess.RunProgram(command, "convert", temp.Combine("in"), "-o", temp.Combine("out"), "--frames", "2", "--quiet");

        Assert.Equal(0, version.ExitCode);
        Assert.StartsWith(typeof(Video2TfRecord.Cli.CliApplication).Assembly.GetName().Version!.ToString(3), version.Output, StringComparison.Ordinal);
        Assert.True(convert.ExitCode == 0, convert.Error);
        Assert.Equal([2, 7], RecordFiles.StoredPatternIndices(RecordFiles.ReadAll(Directory.GetFiles(temp.Combine("out"), "*.tfrecord").Single()).Single()));
    }
}
