using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Readers;

/// <summary>The example scripts run as they are: a script with a shebang is executable in the checkout (issue 14, point 18).</summary>
public class ExampleScriptsTests
{
    [Fact]
    public void Every_example_script_with_a_shebang_is_executable()
    {
        var scripts = Directory.GetFiles(Repository.Combine("examples"), "*.py")
            .Where(path => File.ReadLines(path).FirstOrDefault()?.StartsWith("#!", StringComparison.Ordinal) == true)
            .ToList();

        Assert.NotEmpty(scripts);
        Assert.All(scripts, path => Assert.True((File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0, $"{path} is not executable"));
    }
}
