using MerlinAdapt.Training;

namespace MerlinAdapt.Reporting;

/// <summary>plots/loss.png: training against validation loss per epoch (the paper's Figure 6).</summary>
public static class LossCurvePlot
{
    public static void Save(string path, IReadOnlyList<EpochMetrics> rows, string title)
    {
        var plot = new ScottPlot.Plot();
        var epochs = rows.Select(r => (double)r.Epoch + 1).ToArray();
        var train = plot.Add.Scatter(epochs, rows.Select(r => r.TrainLoss).ToArray());
        train.LegendText = "train";
        var val = rows.Where(r => double.IsFinite(r.ValLoss)).ToList();
        if (val.Count > 0)
        {
            var v = plot.Add.Scatter(val.Select(r => (double)r.Epoch + 1).ToArray(), val.Select(r => r.ValLoss).ToArray());
            v.LegendText = "validation";
        }
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("InfoNCE loss");
        PngFile.Save(plot, path);
    }
}
