using MerlinAdapt.Reporting;
using PuppeteerSharp;

namespace MerlinAdapt.Tests.Reporting;

/// <summary>
/// The report in a real browser: Debian's chromium (never a downloaded one), headless, driven by PuppeteerSharp over
/// the DevTools protocol. A full-page screenshot goes to .test-results/artifacts/report.png for a person to look at.
/// </summary>
public sealed class HtmlReportBrowserTests
{
    [Fact]
    public async Task Report_OpensInChromium_WithoutErrors_AndEveryImageDecodes()
    {
        var chromium = Fixtures.RequireTool("chromium");
        using var temp = new TempDirectory();
        var run = SampleRunFolder.Write(temp.Path);
        var report = HtmlReport.Write(run);
        // The same check must see a PNG that does not decode: the signature (so the report embeds it), then no header.
        // (A PNG merely cut short still decodes: Chromium draws what arrived, as for a slow download.)
        Directory.CreateDirectory(temp.File("broken"));
        File.WriteAllBytes(temp.File("broken/garbled.png"), [.. File.ReadAllBytes(Path.Combine(run, "plots", "loss.png"))[..8], .. "no IHDR chunk here"u8]);
        var broken = HtmlReport.Write(temp.File("broken"));
        var artifacts = Path.Combine(Fixtures.RepositoryRoot, ".test-results", "artifacts");
        Directory.CreateDirectory(artifacts);

        await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = chromium, Headless = true, Timeout = 120_000,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions"],
        });
        var good = await OpenAsync(browser, report, Path.Combine(artifacts, "report.png"));
        var bad = await OpenAsync(browser, broken, screenshot: null);
        File.Copy(report, Path.Combine(artifacts, "report.html"), overwrite: true);

        Assert.Empty(good.Problems);
        // The page loads itself and nothing else (data: images do not go to the network).
        Assert.All(good.Requests, r => Assert.True(r == good.Url || r.StartsWith("data:", StringComparison.Ordinal), r));
        // loss.png, then eval's confusion.png and roc.png, decoded at the sizes PngFile drew them.
        Assert.Equal(["true true 640x520", "true true 520x480", "true true 640x520"], good.Images);
        Assert.Equal("MerlinAdapt report: run", good.Title);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(artifacts, "report.png"))[..4]);
        Assert.Equal(["true false 0x0"], bad.Images);
    }

    private sealed record PageCheck(string Url, string Title, string[] Images, List<string> Problems, List<string> Requests);

    /// <summary>Loads a report as file://, collects console errors and warnings, page errors, failed and all requests, and how each image decoded.</summary>
    private static async Task<PageCheck> OpenAsync(IBrowser browser, string report, string? screenshot)
    {
        var url = new Uri(report).AbsoluteUri;
        await using var page = await browser.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 1200, Height = 900 });
        var problems = new List<string>();
        var requests = new List<string>();
        page.Console += (_, e) => { if (e.Message.Type is ConsoleType.Error or ConsoleType.Warning) problems.Add($"console {e.Message.Type}: {e.Message.Text}"); };
        page.PageError += (_, e) => problems.Add($"page error: {e.Message}");
        page.RequestFailed += (_, e) => problems.Add($"request failed: {e.Request.Url}");
        page.Request += (_, e) => requests.Add(e.Request.Url);

        var response = await page.GoToAsync(url, new NavigationOptions { WaitUntil = [WaitUntilNavigation.Load], Timeout = 60_000 });
        if (!response.Ok) problems.Add($"{url}: HTTP-like status {response.Status}");
        var images = await page.EvaluateFunctionAsync<string[]>("""
            async () => {
              const images = Array.from(document.images);
              const decoded = await Promise.all(images.map(i => i.decode().then(() => true, () => false)));
              return images.map((i, k) => `${i.complete} ${decoded[k]} ${i.naturalWidth}x${i.naturalHeight}`);
            }
            """);
        var title = await page.EvaluateExpressionAsync<string>("document.title");
        if (screenshot is not null) await page.ScreenshotAsync(screenshot, new ScreenshotOptions { FullPage = true });
        return new PageCheck(url, title, images, problems, requests);
    }
}
