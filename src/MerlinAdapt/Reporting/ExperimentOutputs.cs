using MerlinAdapt.Analysis;

namespace MerlinAdapt.Reporting;

/// <summary>What a sweep or ablation writes into its folder after every finished cell: results.csv, results.md, summary.md, plots/.</summary>
public static class ExperimentOutputs
{
    public static void Write(string directory, ExperimentPlan plan, IReadOnlyList<CellResult> results)
    {
        Directory.CreateDirectory(directory);
        ExperimentResultsCsv.Write(Path.Combine(directory, "results.csv"), results);
        var ablation = plan.Kind == ExperimentPlan.Ablation;
        AtomicFile.WriteAllText(Path.Combine(directory, "results.md"), ablation ? AblationTable.Markdown(plan, results) : SweepTable.Markdown(plan, results));
        AtomicFile.WriteAllText(Path.Combine(directory, "summary.md"), ablation ? AblationTable.Summary(plan, results) : SweepTable.Summary(plan, results));
        if (!ablation && results.Any(r => r.Status == CellStatus.Done))
            MetricVsTemperaturePlot.Save(Path.Combine(directory, "plots", "metric_vs_temperature.png"), results,
                $"zero-shot metrics vs initial temperature ({plan.EvalSplit} split)");
    }
}
