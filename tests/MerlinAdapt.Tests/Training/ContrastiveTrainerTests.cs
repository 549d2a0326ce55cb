using MerlinAdapt.Tests.Cli;
using MerlinAdapt.Training;

namespace MerlinAdapt.Tests.Training;

[Collection("sequential-torch")]
public sealed class ContrastiveTrainerTests
{
    private static string[] Train(SyntheticTrainingCohort cohort, string run, params string[] extra) =>
        ["train", "--model", cohort.BaseModel, "--manifest", cohort.Manifest, "--cache", cohort.Cache, "--out", cohort.File(run),
         "--batch-size", "4", "--accumulation", "2", "--threads", "2", .. extra];

    /// <summary>A few epochs on the easy task lower the loss and lift validation zero-shot F1 above chance (0.5 for balanced classes).</summary>
    [Fact]
    public void FewEpochs_LowerTheLoss_AndLiftValidationF1AboveChance()
    {
        using var cohort = new SyntheticTrainingCohort(patients: 40);

        var (code, output, error) = CliRunner.Run(["train", "--model", cohort.BaseModel, "--manifest", cohort.Manifest, "--cache", cohort.Cache,
            "--out", cohort.File("run"), "--batch-size", "4", "--accumulation", "1", "--threads", "2",
            "--mode", "full", "--lr", "2e-3", "--epochs", "12", "--patience", "12", "--temperature", "0.2"]);

        Assert.True(code == 0, error);
        var metrics = new RunFolder(cohort.File("run")).ReadMetrics();
        Assert.Equal(12, metrics.Count);
        Assert.True(metrics[^1].TrainLoss < metrics[0].TrainLoss, $"loss {metrics[0].TrainLoss} → {metrics[^1].TrainLoss}");
        // 0.667 is what predicting every scan positive scores here; learning must do better.
        Assert.True(metrics.Max(m => m.ValF1) > 0.8, $"best validation F1 {metrics.Max(m => m.ValF1)}");
        Assert.True(metrics[^1].ValAuc > 0.8, $"validation AUC {metrics[^1].ValAuc}");
        Assert.True(File.Exists(cohort.File("run/checkpoints/best/model.json")));
        Assert.True(File.Exists(cohort.File("run/plots/loss.png")));
        Assert.Contains("best validation F1", output);
    }

    /// <summary>A run stopped after an epoch and resumed ends with the same metrics.csv as one that never stopped (timing aside).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Resume_ContinuesExactly(bool gradCache)
    {
        using var cohort = new SyntheticTrainingCohort(patients: 12);
        string[] common = ["--mode", "peft", "--lr", "5e-3", "--epochs", "3", "--patience", "9", "--seed", "5", .. (gradCache ? new[] { "--grad-cache" } : [])];

        var straight = CliRunner.Run(Train(cohort, "straight", common));
        Assert.True(straight.Code == 0, straight.Err);
        var stopped = CliRunner.Run(Train(cohort, "stopped", [.. common[..5], "1", .. common[6..]]));
        Assert.True(stopped.Code == 0, stopped.Err);
        // The stopped run's config says 1 epoch; resuming with the full budget is what an interrupted run does.
        var run = new RunFolder(cohort.File("stopped"));
        var config = run.ReadConfig();
        run.WriteConfig(config with { Options = config.Options with { Epochs = 3 } });
        var state = run.ReadState("last");
        System.IO.File.WriteAllText(System.IO.Path.Combine(run.Checkpoint("last"), "trainer_state.json"),
            System.Text.Json.JsonSerializer.Serialize(state with { Finished = false, StopReason = null }, MerlinAdapt.Json.Options));
        var resumed = CliRunner.Run("train", "--resume", cohort.File("stopped"), "--threads", "2");

        Assert.True(resumed.Code == 0, resumed.Err);
        var a = new RunFolder(cohort.File("straight")).ReadMetrics();
        var b = run.ReadMetrics();
        Assert.Equal(3, b.Count);
        Assert.Equal(a.Select(m => m with { Seconds = 0, SamplesPerSecond = 0 }), b.Select(m => m with { Seconds = 0, SamplesPerSecond = 0 }));
    }

    /// <summary>
    /// With a learning rate of 0 no epoch changes the PEFT model, so none beats the start: the starting model stays
    /// checkpoints/best, its validation equals every epoch's, and patience counts from the start.
    /// </summary>
    [Fact]
    public void StartingModel_StaysTheBest_WhenNoEpochBeatsIt()
    {
        using var cohort = new SyntheticTrainingCohort(patients: 12);

        var (code, output, error) = CliRunner.Run(Train(cohort, "run", "--mode", "peft", "--lr", "0", "--epochs", "5", "--patience", "2"));

        Assert.True(code == 0, error);
        var run = new RunFolder(cohort.File("run"));
        var best = run.ReadState("best");
        var last = run.ReadState("last");
        var metrics = run.ReadMetrics();
        Assert.Equal(TrainerState.StartEpoch, best.BestEpoch);
        Assert.True(last.StartIsBest);
        Assert.Equal(2, metrics.Count); // stopped by patience 2, counted from the start
        Assert.All(metrics, m => Assert.Equal(last.Start!.ValF1, m.ValF1));
        Assert.All(metrics, m => Assert.Equal(last.Start!.ValAuc, m.ValAuc));
        Assert.Contains("before training: val loss", error);
        Assert.Contains("before training (the starting model is checkpoints/best)", output);
    }

    /// <summary>
    /// Validating the start is a look, not a step: with AdaBN (PEFT trains with the base's BatchNorm in eval mode, so
    /// recomputed statistics would change every step) the epochs train exactly as without it.
    /// </summary>
    [Fact]
    public void ValidatingTheStart_LeavesTheEpochsUnchanged()
    {
        using var cohort = new SyntheticTrainingCohort(patients: 12);
        string[] common = ["--mode", "peft", "--lr", "5e-3", "--epochs", "2", "--seed", "3", "--precise-bn"];

        var with = CliRunner.Run(Train(cohort, "with", common));
        var without = CliRunner.Run(Train(cohort, "without", [.. common, "--validate-start", "false"]));

        Assert.True(with.Code == 0, with.Err);
        Assert.True(without.Code == 0, without.Err);
        var a = new RunFolder(cohort.File("with")).ReadMetrics();
        var b = new RunFolder(cohort.File("without")).ReadMetrics();
        Assert.Equal(b.Select(m => m with { Seconds = 0, SamplesPerSecond = 0 }), a.Select(m => m with { Seconds = 0, SamplesPerSecond = 0 }));
        Assert.NotNull(new RunFolder(cohort.File("with")).ReadState("last").Start);
        var skipped = new RunFolder(cohort.File("without")).ReadState("last");
        Assert.Null(skipped.Start);
        Assert.True(skipped.BestEpoch >= 0);
        Assert.DoesNotContain("before training", without.Err);
    }

    [Fact]
    public void Train_WithStructuredReports_AlternatesToTheAnatomyView()
    {
        using var cohort = new SyntheticTrainingCohort(patients: 8);
        var structure = CliRunner.Run("structure-reports", "--manifest", cohort.Manifest, "--out", cohort.File("reports.jsonl"));
        Assert.True(structure.Code == 0, structure.Err);

        var (code, _, error) = CliRunner.Run(Train(cohort, "run", "--epochs", "2", "--reports", cohort.File("reports.jsonl")));

        Assert.True(code == 0, error);
        Assert.Equal(cohort.File("reports.jsonl"), new RunFolder(cohort.File("run")).ReadConfig().Reports);
        Assert.Contains("Liver and biliary tree:", File.ReadAllText(cohort.File("reports.jsonl")));
    }

    [Fact]
    public void ReportSplitting_TrainsOnOrganSections_AndNeedsStructuredReports()
    {
        using var cohort = new SyntheticTrainingCohort(patients: 8);
        var without = CliRunner.Run(Train(cohort, "bare", "--epochs", "1", "--report-splitting", "0.5"));
        var outOfRange = CliRunner.Run(Train(cohort, "wide", "--epochs", "1", "--report-splitting", "1.5", "--reports", cohort.File("reports.jsonl")));
        Assert.True(CliRunner.Run("structure-reports", "--manifest", cohort.Manifest, "--out", cohort.File("reports.jsonl")).Code == 0);

        var (code, _, error) = CliRunner.Run(Train(cohort, "run", "--epochs", "2", "--reports", cohort.File("reports.jsonl"), "--report-splitting", "0.5"));

        Assert.Equal(1, without.Code);
        Assert.Contains("--report-splitting: needs --reports", without.Err);
        Assert.Equal(1, outOfRange.Code);
        Assert.Contains("between 0 and 1, not 1.5", outOfRange.Err);
        Assert.True(code == 0, error);
        Assert.Equal(0.5, new RunFolder(cohort.File("run")).ReadConfig().Options.FullReportProbability);
    }

    [Fact]
    public void Train_WithoutTrainSplit_OrOnAnExistingRun_IsAnInputError()
    {
        using var cohort = new SyntheticTrainingCohort(patients: 4);
        Assert.Equal(0, CliRunner.Run(Train(cohort, "run", "--epochs", "1")).Code);

        var again = CliRunner.Run(Train(cohort, "run", "--epochs", "1"));

        Assert.Equal(1, again.Code);
        Assert.Contains("is already a run folder; continue it with --resume", again.Err);
    }
}
