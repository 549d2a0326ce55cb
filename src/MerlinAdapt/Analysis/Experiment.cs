using MerlinAdapt.Cohorts;
using MerlinAdapt.Reporting;
using Microsoft.Extensions.Logging;

namespace MerlinAdapt.Analysis;

/// <summary>
/// Runs a sweep (paper Table 4) or an ablation (Table 7) in an experiment folder: the plan file, one folder per cell
/// (<see cref="CellRunner"/>), and results.csv / results.md / plots / summary.md rewritten after every finished cell.
/// Rerunning it skips done cells, continues an interrupted one and retries failed ones; a failing cell does not stop
/// the others; cancellation stops after the current training step and keeps everything.
/// </summary>
public static class Experiment
{
    /// <summary>Studies the split must hold: the embedding projections of every cell need 4.</summary>
    public const int MinimumEvaluationStudies = 4;

    public static ExperimentSummary Run(string directory, ExperimentPlan plan, ILogger logger, IProgress<CellProgress>? progress = null,
        CancellationToken cancel = default)
    {
        directory = Path.GetFullPath(directory);
        Check(plan);
        plan.SaveOrMatch(directory);
        var runner = new CellRunner(plan, directory, logger);
        var cells = plan.Cells();
        var results = cells.Select(runner.Read).ToList();
        var interrupted = false;
        for (var i = 0; i < cells.Count; i++)
        {
            if (cancel.IsCancellationRequested && results[i].Status != CellStatus.Done)
            {
                interrupted = true;
                break;
            }
            var wasDone = results[i].Status == CellStatus.Done;
            results[i] = runner.Run(cells[i], i, cells.Count, progress, cancel);
            if (!wasDone) ExperimentOutputs.Write(directory, plan, results);
            if (results[i].Status == CellStatus.Interrupted)
            {
                interrupted = true;
                break;
            }
        }
        ExperimentOutputs.Write(directory, plan, results);
        HtmlReport.Write(directory, plan.Kind == ExperimentPlan.Ablation ? "MerlinAdapt ablation (paper Table 7)" : "MerlinAdapt temperature sweep (paper Table 4)");
        return new ExperimentSummary(directory, plan, results, interrupted);
    }

    /// <summary>Continues the experiment of a folder with its saved plan (`--resume OUT`).</summary>
    public static ExperimentSummary Resume(string directory, string kind, ILogger logger, IProgress<CellProgress>? progress = null,
        CancellationToken cancel = default)
    {
        var file = kind == ExperimentPlan.Ablation ? "ablation.json" : "sweep.json";
        var plan = ExperimentPlan.Read(Path.Combine(directory, file));
        if (plan.Kind != kind) throw new InputException(Path.Combine(directory, file), $"holds a {plan.Kind}, not a {kind}");
        return Run(directory, plan, logger, progress, cancel);
    }

    /// <summary>What would make every cell fail the same way, found before hours of training.</summary>
    private static void Check(ExperimentPlan plan)
    {
        var cohort = Manifest.Load(plan.Manifest);
        var evaluated = cohort.Entries.Count(e => plan.EvalSplit == "all" || e.Split == plan.EvalSplit);
        if (evaluated < MinimumEvaluationStudies)
            throw new InputException(plan.Manifest, $"has {evaluated} row(s) with split \"{plan.EvalSplit}\"; each cell's evaluation needs at least " +
                                                    $"{MinimumEvaluationStudies} (run `merlin-adapt split`, or choose another --eval-split)");
        if (plan.Model is null && plan.Preset is null)
            throw new InputException("--model/--preset", "give a model folder (--model) or a preset to start from (--preset tiny)");
    }
}
