using System.Globalization;
using System.Text;
using MerlinAdapt.Evaluation;

namespace MerlinAdapt.Reporting;

/// <summary>Metrics as a Markdown table in the paper's format (Tables 3–4): F1 ↑ Recall ↑ Precision ↑ Accuracy ↑ AUC ↑, each "value (lo–hi)".</summary>
public static class MetricsTable
{
    internal static readonly (string Key, string Title)[] Columns =
        [("f1", "F1 ↑"), ("recall", "Recall ↑"), ("precision", "Precision ↑"), ("accuracy", "Accuracy ↑"), ("roc_auc", "AUC ↑")];

    public static string Markdown(IEnumerable<(string Name, MetricsReport Report)> rows, string firstColumn = "model")
    {
        var md = new StringBuilder();
        md.Append($"| {firstColumn} |");
        foreach (var (_, title) in Columns) md.Append($" {title} |");
        md.AppendLine();
        md.Append("| --- |");
        foreach (var _ in Columns) md.Append(" --- |");
        md.AppendLine();
        foreach (var (name, report) in rows)
        {
            md.Append($"| {name} |");
            foreach (var (key, _) in Columns) md.Append($" {Cell(report.Metrics[key])} |");
            md.AppendLine();
        }
        return md.ToString();
    }

    public static string Cell(MetricValue m) =>
        m.Value is not { } v ? "n/a"
        : m.Ci95[0] is { } lo && m.Ci95[1] is { } hi ? $"{F(v)} ({F(lo)}–{F(hi)})" : F(v);

    private static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
}
