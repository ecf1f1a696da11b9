using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Storage;

/// <summary>
/// How a run finds and signs for its store: the endpoint from <c>--s3-endpoint</c>, <c>AWS_ENDPOINT_URL_S3</c> or
/// <c>AWS_ENDPOINT_URL</c> (in that order), the signing region from <c>--s3-region</c>, <c>AWS_REGION</c> or
/// <c>AWS_DEFAULT_REGION</c>, and an output prefix the credentials may not write refused before anything is decoded.
/// Real child processes against s3rver on loopback, some through a <see cref="FaultyLink"/> that sees every request.
/// </summary>
public sealed class S3ConnectionTests(S3Server s3) : IClassFixture<S3Server>
{
    // Nothing listens on port 9 of loopback (discard, never served here): a request sent there is refused at once.
    private const string Nowhere = "http://127.0.0.1:9";

    // Variables the machine running the tests might have; set empty, they count as unset.
    private static Dictionary<string, string> Environment(params (string Name, string Value)[] set)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_ENDPOINT_URL_S3"] = "",
            ["AWS_ENDPOINT_URL"] = "",
            ["AWS_REGION"] = "",
            ["AWS_DEFAULT_REGION"] = "",
        };
        foreach (var (name, value) in set)
        {
            variables[name] = value;
        }

        return variables;
    }

    private string Bucket(TempDirectory temp)
    {
        var input = temp.CreateFolder("in");
        TestVideo.Create(input, "a", 5, TestCodec.H264Mp4, 48, 32);
        TestVideo.Create(input, "b", 6, TestCodec.H264Mp4, 48, 32);
        var bucket = s3.NewBucket();
        s3.UploadFolder(input, bucket, "v");
        return bucket;
    }

    [Fact]
    public void The_endpoint_comes_from_the_option_then_AWS_ENDPOINT_URL_S3_then_AWS_ENDPOINT_URL()
    {
        using var temp = new TempDirectory();
        var bucket = Bucket(temp);
        CliRunner.Outcome Convert(string output, Dictionary<string, string> environment, params string[] options) =>
            CliProcess.RunWith(environment, ["convert", $"s3://{bucket}/v/", "-o", temp.Combine(output), "--frames", "2", "--quiet",
                "--s3-path-style", "--s3-retries", "0", .. options]);

        var s3Variable = Convert("s3", Environment(("AWS_ENDPOINT_URL_S3", s3.Endpoint), ("AWS_ENDPOINT_URL", Nowhere)));
        var general = Convert("general", Environment(("AWS_ENDPOINT_URL", s3.Endpoint)));
        var option = Convert("option", Environment(("AWS_ENDPOINT_URL_S3", Nowhere), ("AWS_ENDPOINT_URL", Nowhere)), "--s3-endpoint", s3.Endpoint);
        var wrong = Convert("wrong", Environment(("AWS_ENDPOINT_URL_S3", Nowhere), ("AWS_ENDPOINT_URL", s3.Endpoint)));

        foreach (var run in new[] { s3Variable, general, option })
        {
            Assert.True(run.ExitCode == 0, run.Error);
            Assert.Contains("converted 2 of 2 videos", run.Output, StringComparison.Ordinal);
        }

        Assert.Equal(2, Directory.GetFiles(temp.Combine("s3"), "*.tfrecord").Sum(f => RecordFiles.ReadAll(f).Count));
        // AWS_ENDPOINT_URL_S3 is asked first even when AWS_ENDPOINT_URL would have worked: the run fails, naming the prefix.
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains($"s3://{bucket}/v/", wrong.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("converted", wrong.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Requests_are_signed_for_the_region_of_the_option_then_AWS_REGION_then_AWS_DEFAULT_REGION()
    {
        using var temp = new TempDirectory();
        var bucket = Bucket(temp);
        IReadOnlyCollection<string> Regions(string output, Dictionary<string, string> environment, params string[] options)
        {
            using var link = new FaultyLink(s3.Endpoint);
            var run = CliProcess.RunWith(environment, ["convert", $"s3://{bucket}/v/", "-o", temp.Combine(output), "--frames", "2", "--quiet",
                "--s3-endpoint", link.Endpoint, "--s3-path-style", .. options]);
            Assert.True(run.ExitCode == 0, run.Error);
            return link.SigningRegions;
        }

        Assert.Equal(["eu-west-3"], Regions("option", Environment(("AWS_REGION", "ap-south-1")), "--s3-region", "eu-west-3"));
        Assert.Equal(["ap-south-1"], Regions("region", Environment(("AWS_REGION", "ap-south-1"), ("AWS_DEFAULT_REGION", "sa-east-1"))));
        Assert.Equal(["sa-east-1"], Regions("default", Environment(("AWS_DEFAULT_REGION", "sa-east-1"))));
        // With an endpoint and no region anywhere, us-east-1: what S3-compatible stores expect when they check it at all.
        Assert.Equal(["us-east-1"], Regions("none", Environment()));
    }

    [Fact]
    public void An_output_prefix_the_credentials_may_not_write_is_refused_before_any_video_is_decoded()
    {
        using var temp = new TempDirectory();
        var input = temp.CreateFolder("in");
        TestVideo.Create(input, "a", 5, TestCodec.H264Mp4, 48, 32);
        var bucket = s3.NewBucket();
        using var link = new FaultyLink(s3.Endpoint) { DeniedWrites = "/out/" };

        var run = CliProcess.RunWith(Environment(), "convert", input, "-o", $"s3://{bucket}/out/", "--frames", "2",
            "--s3-endpoint", link.Endpoint, "--s3-path-style", "--s3-retries", "0");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"s3://{bucket}/out/: access denied (the credentials may not read or write it)", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        // Refused at the first write, the probe (.write-test-…), before any video was converted: nothing else was tried,
        // and nothing reached the bucket.
        var refused = Assert.Single(link.RefusedWrites);
        Assert.StartsWith($"PUT /{bucket}/out/.write-test-", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("converted", run.Output + run.Error, StringComparison.Ordinal);
        Assert.Empty(s3.Keys(bucket));
    }
}
