using MerlinAdapt.Analysis;
using MerlinAdapt.Preprocessing;
using MerlinAdapt.Volumes;

namespace MerlinAdapt.Reporting;

/// <summary>
/// What `gradcam` writes into its folder: heatmap.nii.gz (float32, on the preprocessed scan's grid and affine, to
/// overlay in any viewer on the `preprocess` output), gradcam_axial/coronal/sagittal.png (the planes through the
/// peak, liver window) and gradcam.json (<see cref="GradCamSummary"/>).
/// </summary>
public static class GradCamOutputs
{
    public const string HeatmapFile = "heatmap.nii.gz";
    public const string SummaryFile = "gradcam.json";

    public static string PngFile(SlicePlane plane) => $"gradcam_{plane.ToString().ToLowerInvariant()}.png";

    /// <param name="scan">The preprocessed scan the map was computed on.</param>
    /// <param name="preprocessing">The options it was preprocessed with (for the HU → display window mapping).</param>
    public static void Write(string directory, GradCamResult result, Volume scan, PreprocessingOptions preprocessing, GradCamSummary summary)
    {
        Directory.CreateDirectory(directory);
        NiftiWriter.Write(result.Heatmap, Path.Combine(directory, HeatmapFile), new NiftiWriteOptions { Description = "MerlinAdapt GradCAM" });
        var window = HeatmapOverlay.InPreprocessedUnits(HeatmapOverlay.LiverWindowHu, preprocessing);
        foreach (var plane in Enum.GetValues<SlicePlane>())
            HeatmapOverlay.Render(scan, result.Heatmap, plane, result.PeakVoxel, window).SavePng(Path.Combine(directory, PngFile(plane)));
        AtomicFile.WriteAllText(Path.Combine(directory, SummaryFile), summary.ToJson());
    }

    /// <summary>The summary of a result; the caller names what was explained.</summary>
    public static GradCamSummary Summarise(GradCamResult result, string scan, string model, string? adapter, string prompts, string positiveClass) => new()
    {
        Scan = scan,
        Model = model,
        Adapter = adapter,
        Prompts = prompts,
        PositiveClass = positiveClass,
        Score = result.Score,
        Predicted = result.Prediction.Predicted,
        Similarities = result.Prediction.Similarities,
        Flat = result.Flat,
        PeakVoxel = result.PeakVoxel,
        PeakMm = [result.PeakWorld.X, result.PeakWorld.Y, result.PeakWorld.Z],
        Grid = result.Heatmap.Shape,
        Layer4Grid = result.Layer4Grid,
    };
}
