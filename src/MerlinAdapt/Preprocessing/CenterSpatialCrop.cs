using MerlinAdapt.Volumes;

namespace MerlinAdapt.Preprocessing;

/// <summary>
/// MONAI's CenterSpatialCropd(roi_size): axes longer than the target keep [start, start + target) with
/// start = ⌊n/2⌋ − ⌊target/2⌋ — not ⌊(n − target)/2⌋; they differ for even n and odd target (tables/pad_crop.json).
/// Axes with target ≤ 0 are left alone.
/// </summary>
public sealed class CenterSpatialCrop(IReadOnlyList<int> size)
{
    public static int Start(int n, int target) => target > 0 && target < n ? n / 2 - target / 2 : 0;

    public Volume Apply(Volume volume)
    {
        var start = new int[3];
        var shape = volume.Shape;
        for (var axis = 0; axis < 3; axis++)
        {
            if (size[axis] <= 0 || size[axis] >= shape[axis]) continue;
            start[axis] = Start(shape[axis], size[axis]);
            shape[axis] = size[axis];
        }
        return GridWindow.Extract(volume, start, shape);
    }
}
