using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using MerlinAdapt.Adaptation;
using MerlinAdapt.Analysis;
using MerlinAdapt.Cohorts;
using MerlinAdapt.Evaluation;
using MerlinAdapt.Model;
using MerlinAdapt.Preprocessing;
using MerlinAdapt.Training;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Analysis;

[Collection("sequential-torch")]
public sealed class ExperimentTests(ExperimentCohort cohort) : IClassFixture<ExperimentCohort>
{
    private static readonly AdaptationMode[] FullAndPeft = [AdaptationMode.Full, AdaptationMode.Peft];

    /// <summary>
    /// A 2 × 2 sweep straight through, and the same sweep stopped by Ctrl-C in the first step of its second cell, then
    /// rerun: the rerun skips the finished cell (its files untouched), continues the interrupted one from
    /// checkpoints/last, and ends with a results.csv equal byte for byte to the straight sweep's (CPU runs are exact).
    /// </summary>
    [Fact]
    public void Sweep_RecordsEveryCell_AndAnInterruptedSweepResumesToTheSameResults()
    {
        ExperimentCohort.UseOneThread();
        using var temp = new TempDirectory();
        var plan = cohort.Plan(ExperimentPlan.Sweep, FullAndPeft, [0.5, 10]);

        var straight = Experiment.Run(temp.File("straight"), plan, new RecordingLogger(), cancel: TestContext.Current.CancellationToken);

        Assert.Equal(["full_t0.5", "peft_t0.5", "full_t10", "peft_t10"], straight.Cells.Select(c => c.Cell.Name));
        Assert.All(straight.Cells, c => Assert.Equal(CellStatus.Done, c.Status));
        var rows = ReadCsv(temp.File("straight/results.csv"));
        Assert.Equal(4, rows.Count);
        foreach (var row in rows)
        {
            Assert.Equal("done", row["status"]);
            using var metrics = JsonDocument.Parse(File.ReadAllText(temp.File($"straight/{row["cell"]}/test/metrics.json")));
            foreach (var m in new[] { "f1", "recall", "precision", "accuracy", "roc_auc" })
            {
                var value = metrics.RootElement.GetProperty("metrics").GetProperty(m);
                Assert.Equal(value.GetProperty("value").GetDouble(), D(row[m]));
                Assert.Equal(value.GetProperty("ci95")[0].GetDouble(), D(row[m + "_lo"]));
                Assert.Equal(value.GetProperty("ci95")[1].GetDouble(), D(row[m + "_hi"]));
            }
            using var embeddings = JsonDocument.Parse(File.ReadAllText(temp.File($"straight/{row["cell"]}/test/embeddings/summary.json")));
            Assert.Equal(embeddings.RootElement.GetProperty("matched_cosine").GetDouble(), D(row["cossim"]));
            Assert.Equal("1", row["epochs"]);
            Assert.True(File.Exists(temp.File($"straight/{row["cell"]}/run/plots/loss.png")));
            Assert.True(File.Exists(temp.File($"straight/{row["cell"]}/test/embeddings/similarity.png")));
        }
        Assert.Contains("| 0.5 | PEFT |", File.ReadAllText(temp.File("straight/results.md")));
        Assert.True(File.Exists(temp.File("straight/plots/metric_vs_temperature.png")));

        using var stop = new CancellationTokenSource();
        var cancelInSecondCell = new SyncProgress<CellProgress>(p => { if (p is { Index: 1, Phase: CellPhase.Training }) stop.Cancel(); });
        var interrupted = Experiment.Run(temp.File("resumed"), plan, new RecordingLogger(), cancelInSecondCell, stop.Token);

        Assert.True(interrupted.Interrupted);
        Assert.Equal([CellStatus.Done, CellStatus.Interrupted, CellStatus.Pending, CellStatus.Pending], interrupted.Cells.Select(c => c.Status));
        Assert.Equal((0, 1), (new RunFolder(temp.File("resumed/peft_t0.5/run")).ReadState("last") is var s ? (s.Epoch, s.StepInEpoch) : default));
        var firstCell = Snapshot(temp.File("resumed/full_t0.5"));

        var phases = new List<(int, CellPhase)>();
        var resumed = Experiment.Run(temp.File("resumed"), plan, new RecordingLogger(), new SyncProgress<CellProgress>(p => phases.Add((p.Index, p.Phase))),
            TestContext.Current.CancellationToken);

        Assert.False(resumed.Interrupted);
        Assert.Contains((0, CellPhase.Skipped), phases);
        Assert.DoesNotContain((0, CellPhase.Training), phases);
        Assert.Equal(firstCell, Snapshot(temp.File("resumed/full_t0.5")));
        Assert.Equal(File.ReadAllText(temp.File("straight/results.csv")), File.ReadAllText(temp.File("resumed/results.csv")));
    }

    [Fact]
    public void Rerun_WithOtherSettings_IsRefusedWithWhatDiffers()
    {
        using var temp = new TempDirectory();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var plan = cohort.Plan(ExperimentPlan.Sweep, FullAndPeft, [0.5, 10]);
        var started = Experiment.Run(temp.Path, plan, new RecordingLogger(), cancel: cancelled.Token); // writes sweep.json, trains nothing
        var other = cohort.Plan(ExperimentPlan.Sweep, FullAndPeft, [0.5, 2], options: ExperimentCohort.Options with { Epochs = 2 });

        var refused = Assert.Throws<InputException>(() => Experiment.Run(temp.Path, other, new RecordingLogger(), cancel: cancelled.Token));
        var again = Experiment.Run(temp.Path, plan, new RecordingLogger(), cancel: cancelled.Token);

        Assert.All(started.Cells, c => Assert.Equal(CellStatus.Pending, c.Status));
        Assert.Equal(Path.Combine(temp.Path, "sweep.json"), refused.Path);
        Assert.Contains("options.epochs: 1 saved, 2 now", refused.Message);
        Assert.Contains("temperatures: [0.5,10] saved, [0.5,2] now", refused.Message);
        Assert.DoesNotContain('\n', refused.Message);
        Assert.True(again.Interrupted);
    }

    /// <summary>A cell whose training throws (text LoRA on a layer that does not exist) is recorded; the next cell still runs.</summary>
    [Fact]
    public void FailingCell_IsRecorded_AndTheSweepCarriesOn()
    {
        ExperimentCohort.UseOneThread();
        using var temp = new TempDirectory();
        var options = ExperimentCohort.Options with { Lora = new LoraOptions { TextTargets = ["bogus"] } };
        var plan = cohort.Plan(ExperimentPlan.Sweep, [AdaptationMode.Peft, AdaptationMode.Projections], [1], options: options);
        var logger = new RecordingLogger();

        var summary = Experiment.Run(temp.Path, plan, logger, cancel: TestContext.Current.CancellationToken);

        Assert.Equal([CellStatus.Failed, CellStatus.Done], summary.Cells.Select(c => c.Status));
        Assert.Equal("--text-targets: no text layer is named bogus", summary.Cells[0].Error);
        Assert.Contains("Error: peft_t1 failed: --text-targets: no text layer is named bogus", logger.Messages);
        Assert.StartsWith("--text-targets: no text layer is named bogus\n", File.ReadAllText(temp.File("peft_t1/error.txt")));
        var rows = ReadCsv(temp.File("results.csv"));
        Assert.Equal(("failed", "--text-targets: no text layer is named bogus", ""), (rows[0]["status"], rows[0]["error"], rows[0]["f1"]));
        Assert.Equal(("done", ""), (rows[1]["status"], rows[1]["error"]));
        Assert.Contains("1 of 2 cells done, 1 failed", File.ReadAllText(temp.File("summary.md")));
    }

    /// <summary>With --precise-bn every trained cell recomputes BatchNorm statistics (AdaBN); the frozen baseline does not.</summary>
    [Fact]
    public void Ablation_WithPreciseBn_LeavesTheFrozenBaselineUntouched()
    {
        var plan = cohort.Plan(ExperimentPlan.Ablation, [AdaptationMode.Frozen, AdaptationMode.Peft, AdaptationMode.Full], [1.0],
            options: ExperimentCohort.Options with { PreciseBatchNorm = true });

        var cells = plan.Cells().ToDictionary(c => c.Options.Mode, c => c.Options.PreciseBatchNorm);

        Assert.Equal(new Dictionary<AdaptationMode, bool> { [AdaptationMode.Frozen] = false, [AdaptationMode.Peft] = true, [AdaptationMode.Full] = true }, cells);
    }

    /// <summary>
    /// Table 7 on the validation split: every row's parameter counts are ParameterBreakdown's for that mode, and the
    /// untrained baseline's metrics are exactly a direct evaluation of the base model.
    /// </summary>
    [Fact]
    public void Ablation_CountsParametersExactly_AndItsBaselineIsTheBaseModel()
    {
        ExperimentCohort.UseOneThread();
        using var temp = new TempDirectory();
        AdaptationMode[] modes = [AdaptationMode.Frozen, AdaptationMode.TextLora, AdaptationMode.ImageConvLora, AdaptationMode.Projections, AdaptationMode.Peft];
        var plan = cohort.Plan(ExperimentPlan.Ablation, modes, [1], split: "val");

        var summary = Experiment.Run(temp.Path, plan, new RecordingLogger(), cancel: TestContext.Current.CancellationToken);

        Assert.Equal(["frozen", "text-lora", "image-convlora", "projections", "peft"], summary.Cells.Select(c => c.Cell.Name));
        Assert.All(summary.Cells, c => Assert.Equal(CellStatus.Done, c.Status));
        var rows = ReadCsv(temp.File("results.csv"));
        var table = File.ReadAllText(temp.File("results.md"));
        foreach (var (cell, row) in summary.Cells.Zip(rows))
        {
            var mode = cell.Cell.Options.Mode;
            using var model = new MerlinModel(ModelFolder.ReadConfig(cohort.BaseModel));
            AdaptationPolicy.Apply(model, mode, new LoraOptions());
            var expected = ParameterBreakdown.Of(model, mode);
            Assert.Equal((expected.Trainable, expected.Total), (cell.TrainableParameters, cell.TotalParameters));
            Assert.Equal((expected.Trainable.ToString(CultureInfo.InvariantCulture), expected.Total.ToString(CultureInfo.InvariantCulture)),
                (row["trainable_params"], row["total_params"]));
            Assert.Contains($"| {mode.Name()} |", table);
            Assert.Contains($"| {expected.Trainable.ToString("N0", CultureInfo.InvariantCulture)} | {expected.Total.ToString("N0", CultureInfo.InvariantCulture)} |", table);
        }
        Assert.Equal(0, summary.Cells[0].TrainableParameters);
        Assert.False(Directory.Exists(temp.File("frozen/run/checkpoints")));

        var direct = ModelEvaluation.Run(cohort.BaseModel, null, Manifest.Load(cohort.Manifest), "val", PromptSet.Load("hcc"), new ScanCache(cohort.Cache),
            new EvaluationOptions { Resamples = 50, Seed = ExperimentCohort.Options.Seed }, cancel: TestContext.Current.CancellationToken);
        Assert.Equal(direct.Metrics.ToJson(), File.ReadAllText(temp.File("frozen/val/metrics.json")));
        Assert.Contains("| Baseline | frozen |", table);
    }

    private static double D(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>results.csv rows as column → field (the rows these tests read have no quoted fields).</summary>
    private static List<Dictionary<string, string>> ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => header.Zip(l.Split(',', header.Length)).ToDictionary(p => p.First, p => p.Second)).ToList();
    }

    /// <summary>Every file under a folder with its SHA-256.</summary>
    private static Dictionary<string, string> Snapshot(string directory) =>
        Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(directory, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
}
