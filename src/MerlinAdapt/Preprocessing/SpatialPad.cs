using MerlinAdapt.Volumes;

namespace MerlinAdapt.Preprocessing;

/// <summary>
/// MONAI's SpatialPadd(spatial_size, method="symmetric", value=0): axes shorter than the target get
/// ⌊(target − n)/2⌋ zeros before and the rest after; longer axes are left alone. Axes with target ≤ 0 are left alone.
/// </summary>
public sealed class SpatialPad(IReadOnlyList<int> size)
{
    public static (int Before, int After) Padding(int n, int target) =>
        target > n ? ((target - n) / 2, target - n - (target - n) / 2) : (0, 0);

    public Volume Apply(Volume volume)
    {
        var start = new int[3];
        var shape = volume.Shape;
        for (var axis = 0; axis < 3; axis++)
        {
            var (before, after) = Padding(shape[axis], size[axis]);
            start[axis] = -before;
            shape[axis] += before + after;
        }
        return GridWindow.Extract(volume, start, shape);
    }
}
