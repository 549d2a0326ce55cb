using MerlinAdapt.Preprocessing;
using MerlinAdapt.Reporting;
using MerlinAdapt.Volumes;

namespace MerlinAdapt.Tests.Reporting;

public sealed class RadiologicalSliceTests
{
    /// <summary>
    /// A 20×16×12 RAS grid at 2×2×3 mm (every extent different) with a marker block in the right-posterior-superior
    /// corner: i ≥ 15 (right), j &lt; 4 (posterior), k ≥ 9 (superior).
    /// </summary>
    internal static Volume MarkedVolume(Affine? affine = null)
    {
        var volume = new Volume(new float[20 * 16 * 12], 20, 16, 12, affine ?? Affine.Diagonal(2, 2, 3, -19, -15, -16.5));
        for (var k = 9; k < 12; k++)
            for (var j = 0; j < 4; j++)
                for (var i = 15; i < 20; i++) volume.Voxels[volume.Index(i, j, k)] = 1;
        return volume;
    }

    // Axial from the feet: right on the left, anterior at the top → posterior-right is bottom-left.
    // Coronal from the front: right on the left, superior at the top → top-left.
    // Sagittal: anterior on the left, superior at the top → posterior-superior is top-right.
    [Theory]
    [InlineData(SlicePlane.Axial, 10, 40, 32, true, false)]
    [InlineData(SlicePlane.Coronal, 1, 40, 36, true, true)]
    [InlineData(SlicePlane.Sagittal, 17, 32, 36, false, true)]
    public void Marker_LandsInTheRadiologicalQuadrant(SlicePlane plane, int index, int width, int height, bool left, bool top)
    {
        var slice = RadiologicalSlice.Extract(MarkedVolume(), plane, index, pixelMm: 1);

        // Square 1 mm pixels: the true extents (X 40, Y 32, Z 36 mm), so a transposition changes the shape too.
        Assert.Equal((width, height), (slice.Width, slice.Height));
        var (row, column) = (top ? height / 8 : height - 1 - height / 8, left ? width / 8 : width - 1 - width / 8);
        Assert.Equal(1f, slice[row, column]);
        Assert.Equal(0f, slice[height - 1 - row, column]);
        Assert.Equal(0f, slice[row, width - 1 - column]);
        Assert.Equal(Marked(plane), slice.Values.Count(v => v == 1));
    }

    /// <summary>The marker's area on the plane in mm², i.e. in 1 mm pixels (5 × 4 × 3 voxels of 2 × 2 × 3 mm).</summary>
    private static int Marked(SlicePlane plane) => plane switch
    {
        SlicePlane.Axial => 10 * 8,
        SlicePlane.Coronal => 10 * 9,
        _ => 8 * 9,
    };

    [Fact]
    public void NonRasVolume_IsRefused()
    {
        var lps = MarkedVolume(Affine.Diagonal(-2, -2, 3));

        var error = Assert.Throws<ArgumentException>(() => RadiologicalSlice.Extract(lps, SlicePlane.Axial, 0, 1));
        Assert.Contains("LPS", error.Message);
    }

    [Fact]
    public void ReorientedVolume_ShowsTheSameAnatomy()
    {
        // The same marked anatomy stored LPS, brought to RAS by the preprocessing step: the same picture.
        var ras = MarkedVolume();
        var lpsVoxels = new float[ras.Voxels.Length];
        for (var k = 0; k < 12; k++)
            for (var j = 0; j < 16; j++)
                for (var i = 0; i < 20; i++) lpsVoxels[ras.Index(19 - i, 15 - j, k)] = ras[i, j, k];
        var lps = new Volume(lpsVoxels, 20, 16, 12, Affine.Diagonal(-2, -2, 3, 19, 15, -16.5));

        var reoriented = RasOrientation.Apply(lps);

        foreach (var plane in Enum.GetValues<SlicePlane>())
            Assert.Equal(RadiologicalSlice.Extract(ras, plane, 5, 1).Values, RadiologicalSlice.Extract(reoriented, plane, 5, 1).Values);
    }
}
