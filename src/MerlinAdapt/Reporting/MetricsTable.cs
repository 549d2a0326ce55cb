using System.Globalization;
using System.Text;
using MerlinAdapt.Evaluation;

namespace MerlinAdapt.Reporting;

/// <summary>Metrics as a Markdown table in the paper's format (Tables 3–4): F1 ↑ Recall ↑ Precision ↑ Accuracy ↑ AUC ↑, each "value (lo–hi)".</summary>
public static class MetricsTable
{
    internal static readonly (string Key, string Title)[] Columns =
        [("f1", "F1 ↑"), ("recall", "Recall ↑"), ("precision", "Precision ↑"), ("accuracy", "Accuracy ↑"), ("roc_auc", "AUC ↑")];

    public static string Markdown(IEnumerable<(string Name, MetricsReport Report)> rows, string firstColumn = "model") =>
        Markdown([firstColumn], [], rows.Select(r => (new[] { r.Name }, (MetricsReport?)r.Report, Array.Empty<string>())));

    /// <summary>The metric columns between the caller's own columns before and after them; "—" for a row without metrics.</summary>
    public static string Markdown(string[] before, string[] after, IEnumerable<(string[] Before, MetricsReport? Metrics, string[] After)> rows)
    {
        var md = new StringBuilder("|");
        foreach (var title in before.Concat(Columns.Select(c => c.Title)).Concat(after)) md.Append($" {title} |");
        md.Append("\n|");
        for (var i = 0; i < before.Length + Columns.Length + after.Length; i++) md.Append(" --- |");
        md.Append('\n');
        foreach (var (lead, metrics, trail) in rows)
        {
            md.Append('|');
            foreach (var cell in lead) md.Append($" {cell} |");
            foreach (var (key, _) in Columns) md.Append($" {(metrics is { } m ? Cell(m.Metrics[key]) : "—")} |");
            foreach (var cell in trail) md.Append($" {cell} |");
            md.Append('\n');
        }
        return md.ToString();
    }

    public static string Cell(MetricValue m) =>
        m.Value is not { } v ? "n/a"
        : m.Ci95[0] is { } lo && m.Ci95[1] is { } hi ? $"{F(v)} ({F(lo)}–{F(hi)})" : F(v);

    private static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
}
