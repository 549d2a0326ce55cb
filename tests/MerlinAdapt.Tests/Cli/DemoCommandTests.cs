using System.Security.Cryptography;
using System.Text.Json;
using MerlinAdapt.Cohorts;

namespace MerlinAdapt.Tests.Cli;

[Collection("sequential-torch")]
public sealed class DemoCommandTests
{
    [Fact]
    public void DemoQuick_RunsEveryStage_WritesTheComparisonAndReport_AndARerunContinues()
    {
        using var temp = new TempDirectory();

        var (code, output, error) = CliRunner.Run("demo", "--quick", "--out", temp.Path, "--threads", "1");

        Assert.True(code == 0, error);
        // The demo prints the settings it chose before it trains.
        Assert.Contains("demo: pretrain on A: full, up to 2 epochs, batch 32 × 1, lr 1.0e-3, τ 0.07", output);
        Assert.Contains("hospital A: 30 patients", output);
        // Hospital B is split by patient; no patient is in two splits.
        var b = Manifest.Load(temp.File("hospital-B/split.csv"));
        Assert.All(b.Entries.GroupBy(e => e.PatientId), g => Assert.Single(g.Select(e => e.Split).Distinct()));
        Assert.Equal(["test", "train", "val"], b.Entries.Select(e => e.Split).Distinct().Order());
        // Both hospitals share one tokenizer: the pretrained model reads hospital B's reports.
        Assert.Equal(File.ReadAllText(temp.File("hospital-A/tokenizer.json")), File.ReadAllText(temp.File("hospital-B/tokenizer.json")));

        // The comparison rows are the three cells' own metrics on B's test split.
        var table = File.ReadAllText(temp.File("results.md"));
        foreach (var (cell, method) in new[] { ("zero-shot", "Pretrained on A, zero-shot"), ("peft", "Adapted to B, PEFT"), ("full", "Adapted to B, full fine-tuning") })
        {
            using var metrics = JsonDocument.Parse(File.ReadAllText(temp.File($"adapt-B/{cell}/test/metrics.json")));
            var f1 = metrics.RootElement.GetProperty("metrics").GetProperty("f1").GetProperty("value").GetDouble();
            var testScans = b.Entries.Count(e => e.Split == "test");
            Assert.Equal(testScans, metrics.RootElement.GetProperty("n").GetInt32());
            Assert.Contains($"| {method} | {f1:0.000} (", table);
        }
        // PEFT re-estimates BatchNorm statistics on B's train scans (AdaBN), and its adapter carries them.
        Assert.Contains("demo: adapt to B, peft: peft, up to 1 epochs, batch 32 × 1, lr 1.0e-3, τ as pretrained, precise BatchNorm", output);
        Assert.True(MerlinAdapt.Adaptation.AdapterFolder.ReadConfig(temp.File("adapt-B/peft/run/checkpoints/best")).BatchNormStatistics);
        // The pretrained model is pretraining's best validation F1 epoch.
        Assert.Contains("is the pretrained model", output);
        Assert.Contains("report.html", output);
        Assert.Contains("<img", File.ReadAllText(temp.File("report.html")));
        Assert.Contains("## Settings", File.ReadAllText(temp.File("summary.md")));

        // A rerun keeps every finished stage: no cell is retrained, the table is the same.
        var checkpoint = temp.File("adapt-B/full/run/checkpoints/last/weights.safetensors");
        var before = SHA256.HashData(File.ReadAllBytes(checkpoint));
        var (again, rerun, _) = CliRunner.Run("demo", "--quick", "--out", temp.Path, "--threads", "1");
        Assert.Equal(0, again);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(checkpoint)));
        Assert.Equal(table, File.ReadAllText(temp.File("results.md")));
        Assert.DoesNotContain("epoch 1/", rerun);

        // Another seed in the same folder would mix two demos: refused in one line.
        var (refused, _, message) = CliRunner.Run("demo", "--quick", "--out", temp.Path, "--seed", "7");
        Assert.Equal(1, refused);
        Assert.Contains("holds a demo with other settings", message);
        Assert.Single(message.Trim().Split('\n'));
    }
}
