using MerlinAdapt.Preprocessing;
using MerlinAdapt.Volumes;

namespace MerlinAdapt.Reporting;

/// <summary>
/// One plane of a RAS volume as a radiologist views it, resampled (nearest neighbour) to square pixels of
/// <c>pixelMm</c> so that anisotropic voxels keep their true proportions. Values are row-major, row 0 at the top:
/// axial — viewed from the feet, the patient's right on the image's left, anterior at the top; coronal — viewed from
/// the front, right on the left, superior at the top; sagittal — anterior on the left, superior at the top.
/// </summary>
public sealed record RadiologicalSlice(int Width, int Height, float[] Values)
{
    public float this[int row, int column] => Values[row * Width + column];

    /// <param name="volume">A single-channel volume whose voxel axes run towards R, A and S (a preprocessed scan).</param>
    /// <param name="index">The voxel index along the plane's fixed axis (k for axial, j for coronal, i for sagittal).</param>
    public static RadiologicalSlice Extract(Volume volume, SlicePlane plane, int index, double pixelMm)
    {
        var letters = RasOrientation.AxisLetters(volume.Affine);
        if (letters != "RAS") throw new ArgumentException($"the volume's axes run {letters}, not RAS; reorient it first", nameof(volume));
        if (!(pixelMm > 0)) throw new ArgumentOutOfRangeException(nameof(pixelMm));
        // Screen columns and rows as (voxel axis, reversed): the axis' far end (R, A or S) comes first on screen.
        var (fixedAxis, columnAxis, rowAxis) = plane switch
        {
            SlicePlane.Axial => (2, 0, 1),
            SlicePlane.Coronal => (1, 0, 2),
            SlicePlane.Sagittal => (0, 1, 2),
            _ => throw new ArgumentOutOfRangeException(nameof(plane)),
        };
        var shape = volume.Shape;
        if (index < 0 || index >= shape[fixedAxis]) throw new ArgumentOutOfRangeException(nameof(index), $"{index} is outside 0..{shape[fixedAxis] - 1}");
        var spacing = volume.Spacing;
        var columnVoxels = Resample(shape[columnAxis], spacing[columnAxis], pixelMm);
        var rowVoxels = Resample(shape[rowAxis], spacing[rowAxis], pixelMm);
        var values = new float[columnVoxels.Length * rowVoxels.Length];
        var voxel = new int[3];
        voxel[fixedAxis] = index;
        for (var r = 0; r < rowVoxels.Length; r++)
        {
            voxel[rowAxis] = shape[rowAxis] - 1 - rowVoxels[r];
            for (var c = 0; c < columnVoxels.Length; c++)
            {
                voxel[columnAxis] = shape[columnAxis] - 1 - columnVoxels[c];
                values[r * columnVoxels.Length + c] = volume[voxel[0], voxel[1], voxel[2]];
            }
        }
        return new RadiologicalSlice(columnVoxels.Length, rowVoxels.Length, values);
    }

    /// <summary>For each screen pixel along an axis, the voxel whose extent holds the pixel's centre.</summary>
    private static int[] Resample(int voxels, double spacingMm, double pixelMm)
    {
        var pixels = Math.Max(1, (int)Math.Round(voxels * spacingMm / pixelMm));
        return Enumerable.Range(0, pixels).Select(p => Math.Min(voxels - 1, (int)((p + 0.5) * pixelMm / spacingMm))).ToArray();
    }
}
