using System.Globalization;
using MerlinAdapt.Analysis;

namespace MerlinAdapt.Reporting;

/// <summary>Sentences the sweep and ablation tables share: what the numbers are, and which cells are not done.</summary>
internal static class ExperimentText
{
    public static string Footnote(ExperimentPlan plan, IReadOnlyList<CellResult> results)
    {
        var sample = results.FirstOrDefault(r => r.Metrics is not null)?.Metrics;
        var note = $"Zero-shot metrics on the {plan.EvalSplit} split" +
                   (sample is null ? "" : $" ({sample.N} scans of {sample.NPatients} patients)") +
                   " of each run's best-validation-F1 checkpoint (the baseline untrained); 95 % CIs from " +
                   $"{plan.Resamples} patient-level bootstrap resamples; CosSim = mean cosine of matched image–report pairs.";
        var open = results.Where(r => r.Status != CellStatus.Done).ToList();
        if (open.Count > 0)
            note += " Not done: " + string.Join("; ", open.Select(r => $"{r.Cell.Name} ({r.Status.ToString().ToLowerInvariant()}" +
                                                                      (r.Error is { } e ? $": {e}" : "") + ")")) + ".";
        return note;
    }

    public static string Counts(IReadOnlyList<CellResult> results) =>
        $"{results.Count(r => r.Status == CellStatus.Done)} of {results.Count} cells done, {results.Count(r => r.Status == CellStatus.Failed)} failed" +
        (results.Count(r => r.Status is CellStatus.Pending or CellStatus.Interrupted) is var open and > 0 ? $", {open} still to run" : "");

    public static string Describe(CellResult r) =>
        $"F1 {MetricsTable.Cell(r.Metrics!.Metrics["f1"])}, AUC {MetricsTable.Cell(r.Metrics.Metrics["roc_auc"])}" +
        (r.CosSim is { } cos ? $", CosSim {cos.ToString("0.000", CultureInfo.InvariantCulture)}" : "") +
        r.BestEpoch switch
        {
            0 => $" (best before training, of {r.Epochs} epochs)",
            { } e => $" (best epoch {e} of {r.Epochs})",
            null => "",
        };
}
