using System.Globalization;
using System.Text;
using MerlinAdapt.Adaptation;
using MerlinAdapt.Analysis;

namespace MerlinAdapt.Reporting;

/// <summary>
/// results.md and summary.md of a PEFT ablation, in the paper's Table 7 format: each adaptation pathway on its own,
/// with the metrics (with 95 % CIs) on the validation split and its trainable and total parameter counts.
/// </summary>
public static class AblationTable
{
    public static string Method(AdaptationMode mode) => mode switch
    {
        AdaptationMode.Frozen => "Baseline",
        AdaptationMode.TextLora => "Text Encoder",
        AdaptationMode.ImageConvLora => "Image Encoder",
        AdaptationMode.Projections => "Projection Layers",
        AdaptationMode.Peft => "Full PEFT",
        _ => "Full FT",
    };

    public static string Markdown(ExperimentPlan plan, IReadOnlyList<CellResult> results)
    {
        var md = new StringBuilder(MetricsTable.Markdown(["Method", "mode"], ["Trainable ↓", "Total", "% trainable"], results.Select(r =>
            (new[] { Method(r.Cell.Options.Mode), r.Cell.Options.Mode.Name() }, r.Metrics,
             new[] { N(r.TrainableParameters), N(r.TotalParameters), Percent(r) }))));
        md.Append('\n').Append(ExperimentText.Footnote(plan, results)).Append('\n');
        return md.ToString();
    }

    public static string Summary(ExperimentPlan plan, IReadOnlyList<CellResult> results)
    {
        var text = new StringBuilder($"Ablation of {plan.Modes.Length} adaptation mode(s) at τ₀ = {SweepTable.Tau(plan.Temperatures[0])}, " +
                                     $"{plan.Options.Epochs} epoch(s) at most, evaluated zero-shot on the {plan.EvalSplit} split: {ExperimentText.Counts(results)}.");
        var done = results.Where(r => r.Status == CellStatus.Done && r.Value("f1") is not null).ToList();
        if (done.Count > 0)
        {
            var best = done.MaxBy(r => r.Value("f1"))!;
            text.Append($" Best: {Method(best.Cell.Options.Mode)} ({best.Cell.Options.Mode.Name()}), {ExperimentText.Describe(best)}, " +
                        $"training {N(best.TrainableParameters)} of {N(best.TotalParameters)} parameters ({Percent(best)}).");
            if (done.FirstOrDefault(r => r.Cell.Options.Mode == AdaptationMode.Frozen) is { } baseline && baseline != best)
                text.Append($" The untrained baseline has F1 {MetricsTable.Cell(baseline.Metrics!.Metrics["f1"])}.");
        }
        return text.Append('\n').ToString();
    }

    private static string N(long? n) => n?.ToString("N0", CultureInfo.InvariantCulture) ?? "—";

    private static string Percent(CellResult r) =>
        r is { TrainableParameters: { } t, TotalParameters: { } total } && total > 0 ? (100.0 * t / total).ToString("0.00", CultureInfo.InvariantCulture) + " %" : "—";
}
