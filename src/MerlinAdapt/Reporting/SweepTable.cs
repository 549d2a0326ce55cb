using System.Globalization;
using System.Text;
using MerlinAdapt.Adaptation;
using MerlinAdapt.Analysis;

namespace MerlinAdapt.Reporting;

/// <summary>
/// results.md and summary.md of a temperature sweep, in the paper's Table 4 format: initial τ, method, F1, recall,
/// precision, accuracy and AUC as "value (lo–hi)", and CosSim, the mean cosine of matched image–report pairs.
/// </summary>
public static class SweepTable
{
    public static string Method(AdaptationMode mode) => mode switch
    {
        AdaptationMode.Full => "Full FT",
        AdaptationMode.Peft => "PEFT",
        _ => mode.Name(),
    };

    public static string Markdown(ExperimentPlan plan, IReadOnlyList<CellResult> results)
    {
        var md = new StringBuilder(MetricsTable.Markdown(["Temp. Init. (τ)", "Method"], ["CosSim ↑"], results.Select(r =>
            (new[] { Tau(r.Cell.Options.Temperature), Method(r.Cell.Options.Mode) }, r.Metrics, new[] { r.CosSim is { } cos ? F(cos) : "—" }))));
        md.Append('\n').Append(ExperimentText.Footnote(plan, results)).Append('\n');
        return md.ToString();
    }

    /// <summary>One paragraph: how many cells are done, and the best one overall and per mode by F1.</summary>
    public static string Summary(ExperimentPlan plan, IReadOnlyList<CellResult> results)
    {
        var text = new StringBuilder($"Temperature sweep of {plan.Modes.Length} mode(s) × {plan.Temperatures.Length} initial temperature(s) " +
                                     $"({string.Join(", ", plan.Temperatures.Select(t => Tau(t)))}), {plan.Options.Epochs} epoch(s) at most, evaluated zero-shot " +
                                     $"on the {plan.EvalSplit} split: {ExperimentText.Counts(results)}.");
        var done = results.Where(r => r.Status == CellStatus.Done && r.Value("f1") is not null).ToList();
        if (done.Count > 0)
        {
            var best = done.MaxBy(r => r.Value("f1"))!;
            text.Append($" Best cell: {Method(best.Cell.Options.Mode)} at τ₀ = {Tau(best.Cell.Options.Temperature)}, {ExperimentText.Describe(best)}.");
            foreach (var group in done.GroupBy(r => r.Cell.Options.Mode).Where(g => g.Key != best.Cell.Options.Mode))
            {
                var top = group.MaxBy(r => r.Value("f1"))!;
                text.Append($" Best {Method(group.Key)}: τ₀ = {Tau(top.Cell.Options.Temperature)}, F1 {MetricsTable.Cell(top.Metrics!.Metrics["f1"])}.");
            }
        }
        return text.Append('\n').ToString();
    }

    /// <summary>τ as the paper writes it (0.07, 0.5, 1.0, 10.0); exact when that would round.</summary>
    internal static string Tau(double? t)
    {
        if (t is not { } tau) return "model";
        var text = tau.ToString("0.0###", CultureInfo.InvariantCulture);
        return double.Parse(text, CultureInfo.InvariantCulture) == tau ? text : tau.ToString("R", CultureInfo.InvariantCulture);
    }

    private static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
}
