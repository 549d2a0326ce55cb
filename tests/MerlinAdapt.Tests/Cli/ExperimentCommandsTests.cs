using System.Text.Json;
using MerlinAdapt.Tests.Analysis;

namespace MerlinAdapt.Tests.Cli;

/// <summary>`sweep` and `ablate` on the command line: files, the printed table, resuming, and one-line errors for a bad grid.</summary>
[Collection("sequential-torch")]
public sealed class ExperimentCommandsTests(ExperimentCohort cohort) : IClassFixture<ExperimentCohort>
{
    private string[] Common(string output) =>
        ["--model", cohort.BaseModel, "--manifest", cohort.Manifest, "--cache", cohort.Cache, "--out", output, "--batch-size", "2",
         "--accumulation", "1", "--lr", "5e-3", "--resamples", "50", "--threads", "1", "--seed", "9"];

    [Fact]
    public void Sweep_WritesTableFilesAndPlots_AndARerunSkipsTheDoneCell()
    {
        using var temp = new TempDirectory();
        string[] args = ["sweep", "--temperatures", "1", "--modes", "projections", .. Common(temp.File("sweep"))];

        var first = CliRunner.Run([.. args, "--epochs", "1"]);
        var resumed = CliRunner.Run("sweep", "--resume", temp.File("sweep"), "--threads", "1");
        var changed = CliRunner.Run([.. args, "--epochs", "2"]);

        Assert.True(first.Code == 0, first.Err);
        Assert.Contains("| Temp. Init. (τ) | Method | F1 ↑ | Recall ↑ | Precision ↑ | Accuracy ↑ | AUC ↑ | CosSim ↑ |", first.Out);
        Assert.Contains("| 1.0 | projections |", first.Out);
        Assert.Contains("sweep: 1 of 1 cells done", first.Out);
        foreach (var file in new[] { "sweep.json", "results.csv", "results.md", "summary.md", "projections_t1/test/metrics.json", "projections_t1/test/predictions.csv" })
            Assert.True(File.Exists(temp.File("sweep/" + file)), file);
        foreach (var png in new[] { "plots/metric_vs_temperature.png", "projections_t1/run/plots/loss.png", "projections_t1/test/roc.png",
                     "projections_t1/test/embeddings/embedding_tsne.png", "projections_t1/test/embeddings/similarity.png" })
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(temp.File("sweep/" + png))[..4]);
        Assert.True(resumed.Code == 0, resumed.Err);
        Assert.Contains("[1/1] projections_t1: done in an earlier run, skipped", resumed.Err);
        Assert.Equal(1, changed.Code);
        Assert.StartsWith($"merlin-adapt: {temp.File("sweep/sweep.json")}: this folder holds a sweep with other settings (options.epochs: 1 saved, 2 now)", changed.Err);
        Assert.Single(changed.Err.TrimEnd().Split('\n'));
    }

    [Fact]
    public void Ablate_GivesTheBaselineRow_AndDefaultsToThePapersTenEpochsOnVal()
    {
        using var temp = new TempDirectory();

        var run = CliRunner.Run(["ablate", "--modes", "frozen", .. Common(temp.File("ablation"))]);

        Assert.True(run.Code == 0, run.Err);
        Assert.Contains("| Method | mode | F1 ↑ |", run.Out);
        Assert.Contains("| Baseline | frozen |", run.Out);
        Assert.True(File.Exists(temp.File("ablation/frozen/val/metrics.json")));
        using var plan = JsonDocument.Parse(File.ReadAllText(temp.File("ablation/ablation.json")));
        Assert.Equal(10, plan.RootElement.GetProperty("options").GetProperty("epochs").GetInt32());
        Assert.Equal("val", plan.RootElement.GetProperty("eval_split").GetString());
        Assert.Equal([1.0], plan.RootElement.GetProperty("temperatures").EnumerateArray().Select(t => t.GetDouble()));
    }

    [Theory]
    [InlineData("sweep", "--temperatures", "abc", "--temperatures: \"abc\" is not a positive temperature")]
    [InlineData("sweep", "--temperatures", "-1", "--temperatures: \"-1\" is not a positive temperature")]
    [InlineData("sweep", "--temperatures", "0.5,0", "--temperatures: \"0\" is not a positive temperature")]
    [InlineData("sweep", "--temperatures", "1,1", "--temperatures: lists a temperature twice")]
    [InlineData("sweep", "--modes", "full,bogus", "--modes: unknown adaptation mode \"bogus\" (available: full, peft, text-lora")]
    [InlineData("ablate", "--modes", "lora", "--modes: unknown adaptation mode \"lora\"")]
    [InlineData("ablate", "--temperature", "model", "--temperature: \"model\" is not a positive temperature")]
    public void BadGrid_IsAOneLineError(string command, string option, string value, string message)
    {
        using var temp = new TempDirectory();

        var (code, _, err) = CliRunner.Run([command, option, value, .. Common(temp.File("out"))]);

        Assert.Equal(1, code);
        Assert.Equal($"merlin-adapt: {message}", err.TrimEnd().Split('\n').Single()[..(message.Length + 14)]);
        Assert.False(Directory.Exists(temp.File("out")));
    }
}
