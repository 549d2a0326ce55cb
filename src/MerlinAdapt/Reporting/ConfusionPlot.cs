using System.Globalization;

namespace MerlinAdapt.Reporting;

/// <summary>confusion.png: the 2×2 confusion matrix as a heatmap with counts, truth in rows, prediction in columns.</summary>
public static class ConfusionPlot
{
    public static void Save(string path, int[][] matrix, string negative, string positive, string title)
    {
        var plot = new ScottPlot.Plot();
        // Heatmap rows run bottom-up; flip so that the negative truth row is on top, as in the usual layout.
        var values = new double[2, 2];
        for (var r = 0; r < 2; r++)
            for (var c = 0; c < 2; c++) values[1 - r, c] = matrix[r][c];
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Blues();
        var max = matrix.SelectMany(r => r).DefaultIfEmpty(0).Max();
        heatmap.ManualRange = new ScottPlot.Range(0, Math.Max(max, 1)); // colour by count from zero, not from the smallest cell
        for (var r = 0; r < 2; r++)
            for (var c = 0; c < 2; c++)
            {
                var label = plot.Add.Text(matrix[r][c].ToString(CultureInfo.InvariantCulture), c, 1 - r);
                label.LabelFontSize = 28;
                label.LabelAlignment = ScottPlot.Alignment.MiddleCenter;
                label.LabelFontColor = matrix[r][c] > max / 2.0 ? ScottPlot.Colors.White : ScottPlot.Colors.Black;
            }
        plot.Axes.Bottom.SetTicks([0, 1], [negative, positive]);
        plot.Axes.Left.SetTicks([0, 1], [positive, negative]);
        plot.XLabel("prediction");
        plot.YLabel("truth");
        plot.Title(title);
        PngFile.Save(plot, path, 520, 480);
    }
}
