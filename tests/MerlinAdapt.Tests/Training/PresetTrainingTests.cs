using MerlinAdapt.Model;
using MerlinAdapt.Tests.Cli;
using MerlinAdapt.Training;

namespace MerlinAdapt.Tests.Training;

/// <summary>`train --preset tiny --tokenizer` on a `synth` cohort: the whole path without any external file.</summary>
[Collection("sequential-torch")]
public sealed class PresetTrainingTests
{
    [Fact]
    public void TrainPreset_OnASynthCohort_WritesACompleteBase()
    {
        using var temp = new TempDirectory();
        Check(CliRunner.Run("synth", "--out", temp.File("a"), "--hospital", "A", "--patients", "12", "--seed", "4", "--size", "32,28,16"));
        Check(CliRunner.Run("split", "--manifest", temp.File("a/manifest.csv"), "--ratios", "0.5,0.5,0", "--out", temp.File("a/split.csv")));
        Check(CliRunner.Run("prepare", "--manifest", temp.File("a/split.csv"), "--out", temp.File("cache"), "--spacing", "12,12,24", "--size", "32,32,16"));

        var missing = CliRunner.Run("train", "--preset", "tiny", "--manifest", temp.File("a/split.csv"), "--out", temp.File("run0"));
        var run = CliRunner.Run("train", "--preset", "tiny", "--tokenizer", temp.File("a/tokenizer.json"), "--manifest", temp.File("a/split.csv"),
            "--cache", temp.File("cache"), "--out", temp.File("run"), "--epochs", "2", "--batch-size", "3", "--accumulation", "1", "--threads", "2");

        Assert.Equal(1, missing.Code);
        Assert.Contains("--tokenizer: --preset tiny needs the tokenizer.json", missing.Err);
        Assert.True(run.Code == 0, run.Err);
        var config = ModelFolder.ReadConfig(temp.File("run/base"));
        using var tokenizer = MerlinAdapt.Model.Tokenization.TextTokenizer.Load(temp.File("run/base/tokenizer.json"));
        Assert.Equal(tokenizer.VocabularySize, config.Text!.VocabSize);
        Assert.Equal(2, new RunFolder(temp.File("run")).ReadMetrics().Count);
        // The run's report: its loss curve (base/ and checkpoints/ are not reported) and the data it trained on.
        Assert.Contains($"train: report {temp.File("run/report.html")}", run.Out);
        var report = File.ReadAllText(temp.File("run/report.html"));
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(report, "<img src=\"data:image/png;base64,"));
        Assert.Contains("<tr><td>all</td>", report);
    }

    private static void Check((int Code, string Out, string Err) run)
    {
        if (run.Code != 0) throw new InvalidOperationException(run.Err);
    }
}
