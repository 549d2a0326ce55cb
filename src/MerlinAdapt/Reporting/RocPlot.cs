using System.Globalization;
using MerlinAdapt.Evaluation;

namespace MerlinAdapt.Reporting;

/// <summary>roc.png: the ROC curve with its AUC (and 95 % CI) against the chance diagonal.</summary>
public static class RocPlot
{
    public static void Save(string path, MetricsReport report, string title)
    {
        var plot = new ScottPlot.Plot();
        var fpr = report.Roc.Fpr.Select(v => v ?? 0).ToArray();
        var tpr = report.Roc.Tpr.Select(v => v ?? 0).ToArray();
        var chance = plot.Add.Line(0, 0, 1, 1);
        chance.LinePattern = ScottPlot.LinePattern.Dashed;
        chance.Color = ScottPlot.Colors.Gray;
        var curve = plot.Add.Scatter(fpr, tpr);
        curve.MarkerSize = 0;
        curve.LineWidth = 2;
        curve.ConnectStyle = ScottPlot.ConnectStyle.StepVertical;
        curve.LegendText = $"AUC {MetricsTable.Cell(report.Metrics["roc_auc"])}";
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        plot.Title(title);
        plot.XLabel("1 − specificity (false-positive rate)");
        plot.YLabel("sensitivity (true-positive rate)");
        plot.Axes.SetLimits(-0.01, 1.01, -0.01, 1.01);
        PngFile.Save(plot, path);
    }
}
