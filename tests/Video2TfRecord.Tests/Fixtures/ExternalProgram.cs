using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Video2TfRecord.Tests.Fixtures;

/// <summary>Runs a program the tests need (ffmpeg, mount) and fails loudly when it fails.</summary>
public static partial class ExternalProgram
{
    private static readonly Lazy<int> Ffmpeg = new(() =>
    {
        var start = new ProcessStartInfo("ffmpeg", "-version") { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start");
        var banner = ChildProcess.Finish(process).Output.Split('\n')[0];
        var match = FfmpegVersion().Match(banner);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : throw new InvalidOperationException($"no version in ffmpeg's banner: {banner}");
    });

    /// <summary>The major version of the ffmpeg program that makes the test videos (its options differ by major).</summary>
    public static int FfmpegMajor => Ffmpeg.Value;

    public static void Run(string program, string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var outcome = ChildProcess.Finish(process);
        if (outcome.ExitCode != 0)
        {
            throw new InvalidOperationException($"{ChildProcess.CommandLine(process)} failed: {outcome.Error}");
        }
    }

    [GeneratedRegex(@"^ffmpeg version n?(\d+)\.")]
    private static partial Regex FfmpegVersion();
}
