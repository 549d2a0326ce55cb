using MerlinAdapt.Preprocessing;
using MerlinAdapt.Reporting;
using MerlinAdapt.Volumes;
using SkiaSharp;

namespace MerlinAdapt.Tests.Reporting;

public sealed class HeatmapOverlayTests
{
    [Fact]
    public void LiverWindow_InPreprocessedUnits()
    {
        var (low, high) = HeatmapOverlay.InPreprocessedUnits(HeatmapOverlay.LiverWindowHu, new PreprocessingOptions());

        Assert.Equal(0.42, low, 12);
        Assert.Equal(0.62, high, 12);
    }

    [Fact]
    public void Png_ShowsTheMarkerInTheRadiologicalQuadrants()
    {
        using var temp = new TempDirectory();
        var scan = RadiologicalSliceTests.MarkedVolume();
        var heat = new Volume(new float[scan.Voxels.Length], 20, 16, 12, scan.Affine);
        int[] peak = [17, 1, 10]; // inside the marker: every plane through it crosses the marker

        foreach (var (plane, left, top) in new[] { (SlicePlane.Axial, true, false), (SlicePlane.Coronal, true, true), (SlicePlane.Sagittal, false, true) })
        {
            var image = HeatmapOverlay.Render(scan, heat, plane, peak, (0, 1));
            var path = temp.File($"{plane}.png");
            image.SavePng(path);
            using var decoded = SKBitmap.Decode(path);

            Assert.Equal((image.Width, image.Height), (decoded.Width, decoded.Height));
            var (row, column) = (top ? image.Height / 8 : image.Height - 1 - image.Height / 8, left ? image.Width / 8 : image.Width - 1 - image.Width / 8);
            Assert.Equal(new SKColor(255, 255, 255), decoded.GetPixel(column, row));
            Assert.Equal(new SKColor(0, 0, 0), decoded.GetPixel(column, image.Height - 1 - row));
            Assert.Equal(new SKColor(0, 0, 0), decoded.GetPixel(image.Width - 1 - column, row));
            Assert.Equal((byte)255, image[row, column].R);
        }
    }

    [Fact]
    public void Heat_IsBlendedInTurboColours_AndAbsentHeatLeavesTheGrey()
    {
        var scan = new Volume(Enumerable.Repeat(0.5f, 8 * 8 * 8).ToArray(), 8, 8, 8, Affine.Diagonal(2, 2, 2));
        var heat = new Volume(new float[8 * 8 * 8], 8, 8, 8, scan.Affine);
        heat.Voxels[heat.Index(7, 7, 4)] = 1; // right-anterior: the axial image's top-left

        var image = HeatmapOverlay.Render(scan, heat, SlicePlane.Axial, [7, 7, 4], (0, 1));

        var hot = new ScottPlot.Colormaps.Turbo().GetColor(1);
        Assert.Equal(((byte)Math.Round(0.4 * 127.5 + 0.6 * hot.R), (byte)Math.Round(0.4 * 127.5 + 0.6 * hot.G), (byte)Math.Round(0.4 * 127.5 + 0.6 * hot.B)),
            image[image.Height / 16, image.Width / 16]);
        Assert.Equal(((byte)128, (byte)128, (byte)128), image[image.Height - 1 - image.Height / 16, image.Width / 16]);
    }

    [Fact]
    public void PixelMm_MakesSmallGridsReadable()
    {
        var scan = RadiologicalSliceTests.MarkedVolume();

        // Finest spacing 2 mm; the longest extent (40 mm) is 20 such pixels: subdivided 16× to reach 320.
        Assert.Equal(2.0 / 16, HeatmapOverlay.PixelMm(scan), 12);
        // Already 320 voxels long: voxel-sized pixels.
        Assert.Equal(1.5, HeatmapOverlay.PixelMm(new Volume(new float[320 * 2 * 2], 320, 2, 2, Affine.Diagonal(1.5, 1.5, 3))), 12);
    }
}
