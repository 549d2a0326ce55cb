using System.Globalization;
using MerlinAdapt.Analysis;

namespace MerlinAdapt.Reporting;

/// <summary>
/// plots/metric_vs_temperature.png of a sweep: F1 and AUC (with their 95 % CIs as error bars) and CosSim against the
/// initial temperature on a log axis, one colour per adaptation mode (the paper's §3.3 in one figure).
/// </summary>
public static class MetricVsTemperaturePlot
{
    private static readonly (string Key, string Name, ScottPlot.LinePattern Pattern, ScottPlot.MarkerShape Marker)[] Series =
    [
        ("f1", "F1", ScottPlot.LinePattern.Solid, ScottPlot.MarkerShape.FilledCircle),
        ("roc_auc", "AUC", ScottPlot.LinePattern.Dashed, ScottPlot.MarkerShape.FilledSquare),
        ("cossim", "CosSim", ScottPlot.LinePattern.Dotted, ScottPlot.MarkerShape.FilledTriangleUp),
    ];

    public static void Save(string path, IReadOnlyList<CellResult> results, string title)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var modes = results.Select(r => r.Cell.Options.Mode).Distinct().ToList();
        foreach (var (mode, index) in modes.Select((m, i) => (m, i)))
        {
            var color = palette.GetColor(index);
            // A small sideways offset per mode keeps the error bars of different modes apart.
            var offset = (index - (modes.Count - 1) / 2.0) * 0.02;
            var cells = results.Where(r => r.Cell.Options.Mode == mode && r.Status == CellStatus.Done && r.Cell.Options.Temperature is > 0)
                .OrderBy(r => r.Cell.Options.Temperature).ToList();
            foreach (var (key, name, pattern, marker) in Series)
            {
                var points = cells.Select(r => (Cell: r, Value: key == "cossim" ? r.CosSim : r.Value(key))).Where(p => p.Value is { } v && double.IsFinite(v)).ToList();
                if (points.Count == 0) continue;
                var xs = points.Select(p => Math.Log10(p.Cell.Cell.Options.Temperature!.Value) + offset).ToArray();
                var ys = points.Select(p => p.Value!.Value).ToArray();
                var line = plot.Add.Scatter(xs, ys, color);
                line.LinePattern = pattern;
                line.MarkerShape = marker;
                line.MarkerSize = 8;
                line.LegendText = $"{SweepTable.Method(mode)} {name}";
                if (key == "cossim") continue;
                var ci = points.Select(p => p.Cell.Metrics!.Metrics[key].Ci95).ToArray();
                var below = ys.Select((y, i) => ci[i][0] is { } lo ? Math.Max(0, y - lo) : 0).ToArray();
                var above = ys.Select((y, i) => ci[i][1] is { } hi ? Math.Max(0, hi - y) : 0).ToArray();
                var bars = new ScottPlot.Plottables.ErrorBar(xs, ys, null, null, below, above) { Color = color, CapSize = 4 };
                plot.Add.Plottable(bars);
            }
        }
        var temperatures = results.Select(r => r.Cell.Options.Temperature).OfType<double>().Where(t => t > 0).Distinct().Order().ToArray();
        if (temperatures.Length > 0)
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(temperatures.Select(Math.Log10).ToArray(),
                temperatures.Select(t => t.ToString("0.###", CultureInfo.InvariantCulture)).ToArray());
            plot.Axes.SetLimitsX(Math.Log10(temperatures[0]) - 0.3, Math.Log10(temperatures[^1]) + 0.3);
        }
        var lowest = results.Select(r => r.CosSim).OfType<double>().Where(double.IsFinite).DefaultIfEmpty(0).Min();
        plot.Axes.SetLimitsY(Math.Min(0, lowest) - 0.05, 1.05);
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        plot.Title(title);
        plot.XLabel("initial temperature τ₀ (log scale)");
        plot.YLabel("F1 / AUC (95 % CI) / CosSim");
        PngFile.Save(plot, path, 720, 520);
    }
}
