using MerlinAdapt.Volumes;

namespace MerlinAdapt.Preprocessing;

/// <summary>
/// MONAI's ScaleIntensityRanged(a_min, a_max, b_min, b_max, clip=True): v = clip((x − a_min)/(a_max − a_min)·(b_max − b_min) + b_min).
/// Computed in float32, in MONAI's order — x − a_min rounded, then divided and rounded — which reproduces MONAI's
/// output bit for bit (fixture README, "ScaleIntensityRange"). NaN stays NaN. Merlin: −1000..1000 HU → 0..1.
/// </summary>
public sealed class IntensityWindow(double aMin = -1000, double aMax = 1000, double bMin = 0, double bMax = 1, bool clip = true)
{
    public Volume Apply(Volume volume)
    {
        var output = GC.AllocateUninitializedArray<float>(volume.Voxels.Length);
        ApplyInto(volume.Voxels, output);
        return volume.WithVoxels(output, volume.SizeX, volume.SizeY, volume.SizeZ, volume.Affine);
    }

    public void ApplyInto(ReadOnlySpan<float> source, Span<float> destination)
    {
        var min = (float)aMin;
        var range = (float)(aMax - aMin);
        var outRange = (float)(bMax - bMin);
        var outMin = (float)bMin;
        var identityOut = bMin == 0 && bMax == 1;
        float lo = (float)Math.Min(bMin, bMax), hi = (float)Math.Max(bMin, bMax);
        for (var i = 0; i < source.Length; i++)
        {
            var t = source[i] - min;
            t /= range;
            if (!identityOut) t = t * outRange + outMin;
            if (clip) t = Math.Clamp(t, lo, hi);
            destination[i] = t;
        }
    }
}
