namespace MerlinAdapt.Reporting;

/// <summary>A 2-D projection of embeddings coloured by class (the paper's Figure 2).</summary>
public static class EmbeddingPlot
{
    public static void Save(string path, double[] x, double[] y, IReadOnlyList<string> labels, string title, string xLabel, string yLabel)
    {
        var plot = new ScottPlot.Plot();
        foreach (var group in labels.Select((l, i) => (l, i)).GroupBy(p => p.l).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var points = plot.Add.ScatterPoints(group.Select(p => x[p.i]).ToArray(), group.Select(p => y[p.i]).ToArray());
            points.LegendText = $"{group.Key} ({group.Count()})";
            points.MarkerSize = 7;
        }
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        PngFile.Save(plot, path);
    }
}
