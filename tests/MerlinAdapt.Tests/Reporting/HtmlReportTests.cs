using System.Text.RegularExpressions;
using MerlinAdapt.Reporting;
using MerlinAdapt.Training;

namespace MerlinAdapt.Tests.Reporting;

public sealed partial class HtmlReportTests
{
    [Fact]
    public void Write_RunFolder_EmbedsEveryPlotOnce_AndShowsTablesConfigDataAndVersions()
    {
        using var temp = new TempDirectory();
        var run = SampleRunFolder.Write(temp.Path);

        var path = HtmlReport.Write(run);

        Assert.Equal(Path.Combine(run, "report.html"), path);
        var html = File.ReadAllText(path);
        var images = DataUris().Matches(html).Select(m => Convert.FromBase64String(m.Groups[1].Value)).ToList();
        Assert.Equal(SampleRunFolder.ReportablePngs, images.Count);
        Assert.Equal(SampleRunFolder.ReportablePngs, Regex.Count(html, "<img "));
        // Byte for byte the files of the folder, in section order: the run's plot, then eval's (confusion before roc).
        Assert.Equal(File.ReadAllBytes(Path.Combine(run, "plots", "loss.png")), images[0]);
        Assert.Equal(File.ReadAllBytes(Path.Combine(run, "eval", "confusion.png")), images[1]);
        Assert.Equal(File.ReadAllBytes(Path.Combine(run, "eval", "roc.png")), images[2]);
        Assert.Contains("<figcaption>loss <span class=\"file\">(plots/loss.png)</span>", html);

        Assert.Contains("<td>0.620</td>", html);                                  // summary.md's pipe table
        Assert.Contains("<h2>eval</h2>", html);
        Assert.Contains("<th>AUC ↑</th>", html);                                  // eval/metrics.md
        Assert.Contains("<caption>Training epochs (metrics.csv)</caption>", html);
        Assert.Contains("<td class=\"num\">2.0794</td>", html);                   // train loss of epoch 0, rounded
        Assert.Contains("<summary>Configuration (config.json)</summary>", html);
        Assert.Contains("&quot;base_model_hash&quot;: &quot;0123abcd&quot;", html);
        Assert.Contains("<caption>Data: scans (patients) per split and label</caption>", html);
        Assert.Contains("<caption>Versions</caption>", html);
        Assert.Contains($"<td>{typeof(TorchSharp.torch).Assembly.GetName().Version!.ToString(3)}", html);
        Assert.DoesNotContain("CHECKPOINT-MARKER", html);
        Assert.Matches("^<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">", html);
        Assert.Empty(Directory.GetFiles(run, "*.tmp"));
    }

    [Fact]
    public void Write_LoadsNothingFromOutside_AndHasNoScript()
    {
        using var temp = new TempDirectory();
        var run = SampleRunFolder.Write(temp.Path);
        File.AppendAllText(Path.Combine(run, "summary.md"), "\n![remote](https://example.org/plot.png) ![missing](nothere.png)\n");

        var html = File.ReadAllText(HtmlReport.Write(run));

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html);
        Assert.Equal(["<link rel=\"icon\" href=\"data:,\">"], Regex.Matches(html, "<link[^>]*>").Select(m => m.Value));
        var sources = Regex.Matches(html, " src=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(SampleRunFolder.ReportablePngs, sources.Count); // the remote and the missing image became links
        Assert.All(sources, s => Assert.StartsWith("data:image/png;base64,", s));
        Assert.Contains("<a href=\"https://example.org/plot.png\">remote</a>", html);
        Assert.Contains("<a href=\"nothere.png\">missing</a>", html);
        Assert.Contains("default-src 'none'; img-src data:; style-src 'unsafe-inline'", html);
    }

    [Fact]
    public void Write_EscapesEveryTextFromFiles()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("summary.md"), "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)> [click](javascript:alert(3)) <javascript:alert(4)>\n");
        File.WriteAllText(temp.File("config.json"), "{\"note\": \"</pre><script>alert(5)</script>\", \"manifest\": \"\"}");
        File.WriteAllText(temp.File("results.csv"), "mode,f1\n<b>peft</b>,0.5\n");
        LossCurvePlot.Save(temp.File("loss<&>\".png"), [new EpochMetrics(0, 1, 1, 0.5, 0.5, 1, 1e-4, 1, 1)], "x");

        var html = File.ReadAllText(HtmlReport.Write(temp.Path, "A <title> & more"));

        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<b>", html);
        Assert.Contains("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>", html);
        Assert.Contains("<p>&lt;img src=x onerror=alert(2)&gt; <a href=\"#\">click</a> javascript:alert(4)</p>", html);
        Assert.Contains("&lt;/pre&gt;&lt;script&gt;alert(5)&lt;/script&gt;", html);
        Assert.Contains("<td>&lt;b&gt;peft&lt;/b&gt;</td>", html);
        Assert.Contains("<title>A &lt;title&gt; &amp; more</title>", html);
        Assert.Contains("alt=\"loss&lt;&amp;&gt;&quot;\"><figcaption>loss&lt;&amp;&gt;&quot; <span class=\"file\">(loss&lt;&amp;&gt;&quot;.png)</span>", html);
    }

    [Fact]
    public void Write_SkipsWeightsCachesRawDataAndHiddenFolders_AndNamesSectionsByPath()
    {
        using var temp = new TempDirectory();
        foreach (var skipped in new[] { "checkpoints/last", "base", "cache", "scans", "reports", "cohort_b", ".git", "checkpoint.tmp", "plots/deeper" })
        {
            Directory.CreateDirectory(temp.File(skipped));
            File.WriteAllText(Path.Combine(temp.File(skipped), "summary.md"), $"SKIPPED-{skipped}");
        }
        Directory.CreateDirectory(temp.File("sweep/peft_t1/eval"));
        File.WriteAllText(temp.File("sweep/peft_t1/eval/metrics.md"), "EVAL-MARKER");
        Directory.CreateDirectory(temp.File("sweep/nothing"));
        File.WriteAllText(temp.File("sweep/nothing/log.txt"), "no reportable content");
        File.WriteAllText(temp.File("results.csv"), "mode,tau,f1\npeft,1,0.61\nfull,0.07,0.444444\n");

        var html = File.ReadAllText(HtmlReport.Write(temp.Path));

        Assert.DoesNotContain("SKIPPED-", html);
        Assert.Equal(["overview", "sweep/peft_t1/eval"], Regex.Matches(html, "<li><a href=\"#s\\d\">([^<]*)</a>").Select(m => m.Groups[1].Value));
        Assert.Contains("<h2>sweep/peft_t1/eval</h2>", html);
        Assert.DoesNotContain("sweep/nothing", html);
        Assert.DoesNotContain("<h2>sweep</h2>", html);
        Assert.Contains("<caption>Results (results.csv)</caption>", html);
        Assert.Contains("<td class=\"num\">0.4444</td>", html);

        File.WriteAllText(temp.File("results.md"), "| mode | f1 |\n| --- | --- |\n| peft | 0.61 |\n");
        var withTable = File.ReadAllText(HtmlReport.Write(temp.Path));
        Assert.DoesNotContain("Results (results.csv)", withTable); // results.md already tabulates it
    }

    [Fact]
    public void Write_EmptyOrMissingFolder_IsOneLineInputError()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("log.txt"), "not reportable");
        Directory.CreateDirectory(temp.File("checkpoints"));
        File.WriteAllText(temp.File("checkpoints/summary.md"), "skipped");

        var empty = Assert.Throws<InputException>(() => HtmlReport.Write(temp.Path));
        var missing = Assert.Throws<InputException>(() => HtmlReport.Write(temp.File("nope")));

        Assert.StartsWith("nothing to report", empty.Problem);
        Assert.DoesNotContain('\n', empty.Message);
        Assert.Equal("folder not found", missing.Problem);
        Assert.False(File.Exists(temp.File("report.html")));
    }

    [Fact]
    public void Write_RunsOfASweepSharingAManifest_SummariseTheDataOnce()
    {
        using var temp = new TempDirectory();
        var manifest = SampleRunFolder.WriteManifest(temp.File("cohort/manifest.csv"));
        foreach (var name in new[] { "full", "peft" })
            new RunFolder(temp.File($"sweep/{name}")).WriteConfig(new RunConfig { Options = new TrainingOptions(), BaseModel = "b", BaseModelHash = "h", Manifest = manifest });

        var html = File.ReadAllText(HtmlReport.Write(temp.File("sweep")));

        Assert.Equal(1, Regex.Count(html, "<caption>Data: "));
        Assert.Contains("Data: the same manifest as full", html);
        // The table of SampleRunFolder.WriteManifest: rows train, val, test, unassigned, all; columns HCC, negative, unlabelled, all.
        var rows = Regex.Matches(html, "<tr><td>(train|val|test|unassigned|all)</td>(.*?)</tr>")
            .ToDictionary(m => m.Groups[1].Value, m => Regex.Matches(m.Groups[2].Value, "<td class=\"num\">([^<]*)</td>").Select(c => c.Groups[1].Value).ToArray());
        Assert.Equal(["2 (2)", "2 (2)", "–", "4 (3)"], rows["train"]);
        Assert.Equal(["2 (1)", "–", "–", "2 (1)"], rows["val"]);
        Assert.Equal(["1 (1)", "1 (1)", "–", "2 (2)"], rows["test"]);
        Assert.Equal(["–", "–", "1 (1)", "1 (1)"], rows["unassigned"]);
        Assert.Equal(["5 (4)", "3 (3)", "1 (1)", "9 (7)"], rows["all"]);
    }

    [Fact]
    public void Write_ADozenPlots_StaysSmall_AndOversizedOrFakePngsAreNamedNotEmbedded()
    {
        using var temp = new TempDirectory();
        var epochs = Enumerable.Range(0, 30).Select(e => new EpochMetrics(e, 3 - e * 0.05, 3.1 - e * 0.04, 0.5, 0.6, 0.07, 1e-4, 10, 3)).ToList();
        for (var i = 0; i < 12; i++) LossCurvePlot.Save(temp.File($"plots/loss_{i:00}.png"), epochs, $"run {i}");
        var pngs = Directory.GetFiles(temp.File("plots")).Sum(f => new FileInfo(f).Length);
        var big = new byte[3 << 20];
        new Random(1).NextBytes(big);
        new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(big, 0);
        File.WriteAllBytes(temp.File("huge.png"), big);
        File.WriteAllText(temp.File("fake.png"), "not an image");

        var size = new FileInfo(HtmlReport.Write(temp.Path)).Length;
        var html = File.ReadAllText(temp.File("report.html"));

        Assert.Equal(12, Regex.Count(html, "<img "));
        Assert.InRange(size, pngs * 4 / 3, pngs * 4 / 3 + 64 * 1024); // the images in base64 plus a little page
        Assert.True(size < 2_000_000, $"{size} bytes for a dozen plots");
        Assert.Contains("huge.png: not embedded: 3.0 MB would make the report too large", html);
        Assert.Contains("fake.png: not a PNG file", html);
    }

    [Theory]
    [InlineData("0.69314718", "0.6931")]
    [InlineData("12", "12")]
    [InlineData("1E-05", "1e-5")]
    [InlineData("12345678.9", "1.23e+7")]
    [InlineData("0", "0")]
    [InlineData("peft", "peft")]
    [InlineData("", "")]
    public void Numbers_AreRoundedForReading(string written, string shown) =>
        Assert.Equal(shown, MerlinAdapt.Reporting.Html.CsvTable.Number(written));

    [GeneratedRegex("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")]
    private static partial Regex DataUris();
}
