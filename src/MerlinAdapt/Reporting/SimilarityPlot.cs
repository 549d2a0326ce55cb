using MerlinAdapt.Analysis;

namespace MerlinAdapt.Reporting;

/// <summary>The image × report cosine-similarity matrix sorted by class as a heatmap (the paper's Figures 7–11).</summary>
public static class SimilarityPlot
{
    public static void Save(string path, SimilarityMatrix matrix, string title)
    {
        var plot = new ScottPlot.Plot();
        var n = matrix.Labels.Length;
        // Heatmap rows run bottom-up: flip so that row 0 (the first image) is on top.
        var values = new double[n, n];
        for (var r = 0; r < n; r++)
            for (var c = 0; c < n; c++) values[n - 1 - r, c] = matrix.Values[r, c];
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(heatmap);
        // Class boundaries as lines, labelled once per block.
        var boundaries = Enumerable.Range(1, n - 1).Where(i => matrix.Labels[i] != matrix.Labels[i - 1]).ToList();
        foreach (var b in boundaries)
        {
            plot.Add.VerticalLine(b - 0.5, 2, ScottPlot.Colors.White);
            plot.Add.HorizontalLine(n - b - 0.5, 2, ScottPlot.Colors.White);
        }
        plot.Title($"{title}: matched {matrix.MatchedMean:0.000}, unmatched {matrix.UnmatchedMean:0.000}");
        plot.XLabel("reports (sorted by class)");
        plot.YLabel("images (sorted by class)");
        PngFile.Save(plot, path, 640, 560);
    }
}
