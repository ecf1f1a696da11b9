using System.IO.Compression;
using Microsoft.Playwright;
using Video2TfRecord.Tests.Fixtures;

namespace Video2TfRecord.Tests.Server;

/// <summary>
/// The service's page in a real browser: Debian's chromium driven by Playwright (no browser download) picks two videos
/// and a label CSV, starts the job, waits for it, downloads the archive; the records are read back with the library.
/// Screenshots of the page (desktop and 375 px wide) are kept in out/test-artifacts/.
/// </summary>
[Collection(nameof(ServicePageTests))]
public class ServicePageTests
{
    private const string Chromium = "/usr/bin/chromium";

    private static async Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // Tests run as root, where chromium's sandbox cannot start.
            Args = ["--no-sandbox"],
        });

    [Fact]
    public async Task A_user_uploads_videos_and_labels_in_the_page_follows_the_job_and_downloads_the_records()
    {
        using var temp = new TempDirectory();
        var a = TestVideo.Create(temp.Combine("in"), "a", 20, TestCodec.H264Mp4, 64, 48);
        var b = TestVideo.Create(temp.Combine("in"), "b", 31, TestCodec.Mpeg4Avi, 64, 48);
        File.WriteAllText(temp.Combine("labels.csv"), "path,label\na.mp4,walking\nb.avi,waving\n");
        await using var service = await ServiceHost.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { AcceptDownloads = true, ViewportSize = new ViewportSize { Width = 1100, Height = 900 } });

        await page.GotoAsync(service.Address.ToString());
        await page.GetByLabel("Drop videos here").SetInputFilesAsync([a, b]);
        await page.GetByLabel("Label CSV").SetInputFilesAsync(temp.Combine("labels.csv"));
        await page.GetByLabel("Frames per video").FillAsync("3");
        await page.GetByLabel("Frame size").FillAsync("48x32");
        await page.GetByLabel("Layout").SelectOptionAsync("sequence");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Start" }).ClickAsync();
        var archive = page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Download everything (zip)" });
        await archive.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });

        Assert.Contains("succeeded", await page.Locator("#status").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("2 of 2 videos", await page.Locator("#status").InnerTextAsync(), StringComparison.Ordinal);
        var download = await page.RunAndWaitForDownloadAsync(() => archive.ClickAsync());
        var zip = temp.Combine("job.zip");
        await download.SaveAsAsync(zip);
        ZipFile.ExtractToDirectory(zip, temp.Combine("unzipped"));
        var records = RecordFiles.ReadAll(Directory.GetFiles(temp.Combine("unzipped"), "*.tfrecord").Single());
        Assert.Equal([("a", "walking"), ("b", "waving")], records.Select(r => (r.Id!, r.LabelText!)));
        Assert.Equal([3, 10, 16], RecordFiles.StoredPatternIndices(records[0]));
        await page.Locator("#jobs tr").First.WaitForAsync();
        Assert.Contains("succeeded", await page.Locator("#jobs").InnerTextAsync(), StringComparison.Ordinal);

        var artifacts = Directory.CreateDirectory(Repository.Combine("out", "test-artifacts")).FullName;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "service-page.png"), FullPage = true });
        await page.SetViewportSizeAsync(375, 800);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "service-page-375.png"), FullPage = true });
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 375"), "the page scrolls sideways at 375 px");
    }

    [Fact]
    public async Task Every_control_is_labelled_and_the_form_is_reached_by_keyboard()
    {
        await using var service = await ServiceHost.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(service.Address.ToString());

        var unlabelled = await page.EvaluateAsync<string[]>(
            "[...document.querySelectorAll('input, select, textarea')].filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.name || e.id)");
        Assert.Empty(unlabelled);
        // "Advanced" opened: its controls are in the tab order too; tabbing starts at the top of the page.
        await page.EvaluateAsync("document.querySelector('details').open = true");
        var reached = new List<string>();
        for (var i = 0; i < 40 && !reached.Contains("start"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached.Add(await page.EvaluateAsync<string>("document.activeElement.id || document.activeElement.name || document.activeElement.tagName"));
        }

        Assert.Contains("files", reached);
        Assert.Contains("frames", reached);
        Assert.Contains("more", reached);
        Assert.Contains("start", reached);
    }
}

/// <summary>The browser tests run alone: Playwright sets Console.OutputEncoding, whose lock must not meet other tests' console writes.</summary>
[CollectionDefinition(nameof(ServicePageTests), DisableParallelization = true)]
public sealed class ServicePageCollection;
