namespace MerlinAdapt.Reporting;

/// <summary>Saves a ScottPlot figure as PNG atomically (a report never embeds a half-written image).</summary>
internal static class PngFile
{
    public static void Save(ScottPlot.Plot plot, string path, int width = 640, int height = 520)
    {
        var bytes = plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }
}
