using System.Text.Json;
using MerlinAdapt.Adaptation;
using MerlinAdapt.Cohorts;
using MerlinAdapt.Evaluation;
using MerlinAdapt.Model;
using MerlinAdapt.Preprocessing;
using MerlinAdapt.Reporting;
using MerlinAdapt.Training;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace MerlinAdapt.Analysis;

/// <summary>
/// What sweep and ablate share per cell: train it into `CELL/run/` (continuing an interrupted run exactly, from
/// checkpoints/last), evaluate its best checkpoint on the experiment's split into `CELL/SPLIT/` (zero-shot metrics with
/// CIs, ROC, confusion, and under `embeddings/` the projections, the similarity matrix and CosSim), and skip a cell
/// whose split folder already holds metrics.json. The split folder is written beside its place and moved in whole, so
/// metrics.json never stands without the rest. A cell that throws is recorded as failed, with the details in error.txt.
/// </summary>
public sealed class CellRunner(ExperimentPlan plan, string directory, ILogger logger)
{
    private readonly Dictionary<string, (long Trainable, long Total)> _parameters = new(StringComparer.Ordinal);

    public string CellDirectory(ExperimentCell cell) => Path.Combine(directory, cell.Name);

    public RunFolder RunFolder(ExperimentCell cell) => new(Path.Combine(CellDirectory(cell), "run"));

    public string EvaluationDirectory(ExperimentCell cell) => Path.Combine(CellDirectory(cell), plan.EvalSplit);

    private string ErrorPath(ExperimentCell cell) => Path.Combine(CellDirectory(cell), "error.txt");

    /// <summary>Where a cell stands on disk, without running anything.</summary>
    public CellResult Read(ExperimentCell cell)
    {
        if (File.Exists(Path.Combine(EvaluationDirectory(cell), "metrics.json"))) return Load(cell);
        if (File.Exists(ErrorPath(cell))) return new CellResult(cell, CellStatus.Failed) { Error = File.ReadLines(ErrorPath(cell)).FirstOrDefault() };
        return new CellResult(cell, File.Exists(RunFolder(cell).ConfigPath) ? CellStatus.Interrupted : CellStatus.Pending);
    }

    /// <summary>Brings a cell to done (or to interrupted on cancellation, or failed); never throws for the cell's own errors.</summary>
    public CellResult Run(ExperimentCell cell, int index, int count, IProgress<CellProgress>? progress, CancellationToken cancel)
    {
        var current = Read(cell);
        if (current.Status == CellStatus.Done)
        {
            progress?.Report(new CellProgress(index, count, cell, CellPhase.Skipped) { Result = current });
            return current;
        }
        CellResult result;
        try
        {
            result = TrainAndEvaluate(cell, index, count, progress, cancel);
            if (result.Status == CellStatus.Done) File.Delete(ErrorPath(cell));
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            result = new CellResult(cell, CellStatus.Interrupted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var message = e is InputException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            message = message.Split('\n')[0].Trim();
            logger.LogError("{Cell} failed: {Message}", cell.Name, message);
            AtomicFile.WriteAllText(ErrorPath(cell), $"{message}\n\n{e}\n");
            result = new CellResult(cell, CellStatus.Failed) { Error = message };
        }
        progress?.Report(new CellProgress(index, count, cell, CellPhase.Finished) { Result = result });
        return result;
    }

    private CellResult TrainAndEvaluate(ExperimentCell cell, int index, int count, IProgress<CellProgress>? progress, CancellationToken cancel)
    {
        var run = RunFolder(cell);
        RunConfig config;
        if (File.Exists(run.ConfigPath)) config = run.ReadConfig();
        else (run, config) = TrainingRun.Create(run.Directory, plan.Source, plan.Manifest, plan.Cache, plan.Reports, cell.Options);
        if (cell.Trains)
        {
            var resuming = File.Exists(Path.Combine(run.Checkpoint("last"), "trainer_state.json"));
            var training = new Relay<TrainingProgress>(p => progress?.Report(new CellProgress(index, count, cell, CellPhase.Training) { Training = p }));
            var summary = TrainingRun.Run(run, config, resuming, logger, training, cancel);
            if (summary.Interrupted) return new CellResult(cell, CellStatus.Interrupted) { Epochs = summary.Epochs };
        }
        cancel.ThrowIfCancellationRequested();
        Evaluate(cell, run, config, p => progress?.Report(new CellProgress(index, count, cell, CellPhase.Evaluating) { Done = p.Done, Total = p.Total }), cancel);
        return Load(cell);
    }

    private void Evaluate(ExperimentCell cell, RunFolder run, RunConfig config, Action<(int Done, int Total)> progress, CancellationToken cancel)
    {
        // The best-validation-F1 checkpoint, as the paper reports; `last` when validation never gave a finite F1.
        var (model, adapter) = !cell.Trains ? (config.BaseModel, null)
            : run.ForInference(config, Directory.Exists(run.Checkpoint("best")) ? "best" : "last");
        var cohort = Manifest.Load(plan.Manifest);
        var cache = plan.Cache is { } c ? new ScanCache(c) : null;
        var prompts = PromptSet.Load(cell.Options.Prompts);
        var options = new EvaluationOptions { Resamples = plan.Resamples, Seed = cell.Options.Seed };
        var entries = cohort.Entries.Where(e => plan.EvalSplit == "all" || e.Split == plan.EvalSplit).ToList();
        var target = EvaluationDirectory(cell);
        var staging = $"{target}.{Guid.NewGuid():N}.tmp";
        try
        {
            // Two passes over the split (zero-shot scores, then embeddings of images and reports): one bar of 2n scans.
            var n = entries.Count;
            var result = ModelEvaluation.Run(model, adapter, cohort, plan.EvalSplit, prompts, cache, options, logger,
                new Relay<(int Done, int Total)>(p => progress((p.Done, 2 * n))), cancel);
            var (merlin, _) = AdapterFolder.LoadForInference(model, adapter);
            using (merlin)
            {
                using var tokenizer = ModelFolder.LoadTokenizer(model);
                var extractor = new EmbeddingExtractor(merlin, tokenizer, new ScanSource(cohort, cache, logger: logger));
                EmbeddingAnalysis.Run(extractor, cohort, entries, Path.Combine(staging, "embeddings"), new Tsne(Seed: cell.Options.Seed),
                    options.BatchSize, new Relay<(int Done, int Total)>(p => progress((n + p.Done, 2 * n))), cancel);
            }
            EvaluationOutputs.Write(staging, cell.Name, result.Metrics, prompts.Negative, prompts.Positive, result.Predictions, prompts.ClassNames);
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            Directory.Move(staging, target);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>A done cell's result, read back from its files (so a resumed experiment reports skipped cells exactly).</summary>
    private CellResult Load(ExperimentCell cell)
    {
        var evaluation = EvaluationDirectory(cell);
        var metrics = JsonSerializer.Deserialize<MetricsReport>(File.ReadAllText(Path.Combine(evaluation, "metrics.json")), Json.Options)!;
        var embeddings = JsonSerializer.Deserialize<EmbeddingAnalysis.Summary>(File.ReadAllText(Path.Combine(evaluation, "embeddings", "summary.json")), Json.Options)!;
        var run = RunFolder(cell);
        var config = run.ReadConfig();
        var result = new CellResult(cell, CellStatus.Done) { Metrics = metrics, CosSim = embeddings.MatchedCosine };
        if (cell.Trains)
        {
            var state = run.ReadState("last");
            var last = run.ReadMetrics().LastOrDefault();
            result = result with
            {
                Epochs = state.Epoch, BestEpoch = state.BestF1 is null ? null : state.BestEpoch + 1,
                FinalTemperature = last is null ? null : last.Temperature,
            };
        }
        var (trainable, total) = Parameters(config.BaseModel, cell.Options);
        return result with { TrainableParameters = trainable, TotalParameters = total };
    }

    /// <summary>
    /// Exact counts as `params` prints them (temperature excluded), from the base's architecture in the cell's mode;
    /// built once per architecture and mode, with the random state put back (building initialises weights).
    /// </summary>
    private (long Trainable, long Total) Parameters(string baseModel, TrainingOptions options)
    {
        var architecture = ModelFolder.ReadConfig(baseModel);
        var key = JsonSerializer.Serialize(architecture, Json.Options) + options.Mode + JsonSerializer.Serialize(options.Lora, Json.Options);
        if (_parameters.TryGetValue(key, out var counts)) return counts;
        using var rng = random.get_rng_state();
        using (var model = new MerlinModel(architecture))
        {
            AdaptationPolicy.Apply(model, options.Mode, options.Lora);
            var breakdown = ParameterBreakdown.Of(model, options.Mode);
            counts = (breakdown.Trainable, breakdown.Total);
        }
        random.set_rng_state(rng);
        return _parameters[key] = counts;
    }
}
