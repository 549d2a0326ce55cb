using MerlinAdapt.Preprocessing;
using MerlinAdapt.Volumes;

namespace MerlinAdapt.Reporting;

/// <summary>
/// A heatmap over a CT slice, as radiologists read it: the scan in grey through a display window (the liver window,
/// −160..240 HU, by default), the heat in the Turbo colour map blended in proportion to its value (cold regions stay
/// clear), and the patient-direction letters at the edges. Both volumes share one RAS grid (a preprocessed scan and
/// its GradCAM map).
/// </summary>
public static class HeatmapOverlay
{
    /// <summary>The abdominal liver window in HU (centre 40, width 400).</summary>
    public static (double Low, double High) LiverWindowHu { get; } = (-160, 240);

    /// <summary>Heat 1 is drawn at this opacity; lower heat proportionally fainter.</summary>
    private const double MaxOpacity = 0.6;

    /// <summary>A HU window in the units of a preprocessed scan ((HU − min) / (max − min), clipped to 0..1).</summary>
    public static (double Low, double High) InPreprocessedUnits((double Low, double High) hu, PreprocessingOptions options) =>
        ((hu.Low - options.HuMin) / (options.HuMax - options.HuMin), (hu.High - options.HuMin) / (options.HuMax - options.HuMin));

    /// <summary>
    /// Square screen pixels shared by the three planes: the finest voxel spacing, subdivided until the longest side
    /// spans at least 320 pixels, so a small grid is still large enough to read.
    /// </summary>
    public static double PixelMm(Volume volume)
    {
        var spacing = volume.Spacing;
        var finest = spacing.Min();
        var longest = volume.Shape.Select((n, axis) => n * spacing[axis]).Max() / finest;
        return finest / Math.Max(1, Math.Ceiling(320 / longest));
    }

    /// <summary>The plane through <paramref name="voxel"/> (i, j, k) of <paramref name="scan"/> with <paramref name="heat"/> over it.</summary>
    /// <param name="window">Grey-scale window in the scan's units (see <see cref="InPreprocessedUnits"/>).</param>
    public static RgbImage Render(Volume scan, Volume heat, SlicePlane plane, int[] voxel, (double Low, double High) window)
    {
        if (!scan.Shape.SequenceEqual(heat.Shape)) throw new ArgumentException($"heatmap grid {heat} differs from the scan's {scan}", nameof(heat));
        var pixelMm = PixelMm(scan);
        var index = plane switch { SlicePlane.Axial => voxel[2], SlicePlane.Coronal => voxel[1], _ => voxel[0] };
        var grey = RadiologicalSlice.Extract(scan, plane, index, pixelMm);
        var hot = RadiologicalSlice.Extract(heat, plane, index, pixelMm);
        var colormap = new ScottPlot.Colormaps.Turbo();
        var rgb = new byte[grey.Width * grey.Height * 3];
        var width = window.High - window.Low;
        for (var p = 0; p < grey.Values.Length; p++)
        {
            var g = 255 * Math.Clamp((grey.Values[p] - window.Low) / width, 0, 1);
            var h = Math.Clamp(float.IsFinite(hot.Values[p]) ? hot.Values[p] : 0, 0, 1);
            var color = colormap.GetColor(h);
            var a = MaxOpacity * h;
            rgb[3 * p] = (byte)Math.Round((1 - a) * g + a * color.R);
            rgb[3 * p + 1] = (byte)Math.Round((1 - a) * g + a * color.G);
            rgb[3 * p + 2] = (byte)Math.Round((1 - a) * g + a * color.B);
        }
        OrientationLabels.Draw(rgb, grey.Width, grey.Height, plane);
        return new RgbImage(grey.Width, grey.Height, rgb);
    }
}
