using MerlinAdapt.Volumes;

namespace MerlinAdapt.Preprocessing;

/// <summary>
/// MONAI's Spacingd(pixdim, mode="bilinear") with its defaults: trilinear, padding_mode "border", align_corners
/// False, float64 arithmetic rounded once to float32. Output voxel v samples the input at p = A_in⁻¹·A_out·v, each
/// coordinate clamped to [0, n − 1]; neighbours outside the volume are skipped. A NaN neighbour makes the sample
/// NaN even at weight 0, as in MONAI (0·NaN = NaN). Grid geometry: <see cref="SpacingPlan"/>.
/// </summary>
public sealed class SpacingResampler(IReadOnlyList<double> pixdim)
{
    public IReadOnlyList<double> PixDim { get; } = pixdim.Count == 3 ? pixdim : throw new ArgumentException("pixdim needs 3 values", nameof(pixdim));

    public Volume Apply(Volume volume)
    {
        var plan = SpacingPlan.For(volume.Shape, volume.Affine, PixDim);
        if (!plan.Resample) return volume;
        var map = volume.Affine.Inverse().Multiply(plan.Affine);
        var (nx, ny, nz) = (plan.Shape[0], plan.Shape[1], plan.Shape[2]);
        var output = GC.AllocateUninitializedArray<float>(nx * ny * nz * volume.Channels);
        var axisAligned = map[0, 1] == 0 && map[0, 2] == 0 && map[1, 0] == 0 && map[1, 2] == 0 && map[2, 0] == 0 && map[2, 1] == 0;
        for (var channel = 0; channel < volume.Channels; channel++)
        {
            var src = volume.Voxels.AsMemory(channel * volume.ChannelLength, volume.ChannelLength);
            var dst = output.AsMemory(channel * nx * ny * nz, nx * ny * nz);
            if (axisAligned) ResampleSeparable(src, volume.Shape, dst, plan.Shape, map);
            else ResampleGeneral(src, volume.Shape, dst, plan.Shape, map);
        }
        return new Volume(output, nx, ny, nz, plan.Affine, volume.Channels);
    }

    /// <summary>Sample positions along one axis: lower neighbour, its weight's complement, and whether the upper one exists.</summary>
    private readonly record struct AxisSamples(int[] Lower, double[] Fraction, bool[] HasUpper);

    private static AxisSamples Samples(int count, int inputSize, double scale, double offset)
    {
        var lower = new int[count];
        var fraction = new double[count];
        var hasUpper = new bool[count];
        for (var i = 0; i < count; i++)
        {
            var p = Math.Clamp(scale * i + offset, 0, inputSize - 1);
            var floor = Math.Floor(p);
            lower[i] = (int)floor;
            fraction[i] = p - floor;
            hasUpper[i] = lower[i] + 1 < inputSize;
        }
        return new AxisSamples(lower, fraction, hasUpper);
    }

    /// <summary>Axis-aligned grids (the usual case): each coordinate depends on one index, so positions are tabulated per axis.</summary>
    private static void ResampleSeparable(ReadOnlyMemory<float> source, int[] inShape, Memory<float> destination, int[] outShape, Affine map)
    {
        var xs = Samples(outShape[0], inShape[0], map[0, 0], map[0, 3]);
        var ys = Samples(outShape[1], inShape[1], map[1, 1], map[1, 3]);
        var zs = Samples(outShape[2], inShape[2], map[2, 2], map[2, 3]);
        int sx = inShape[0], sxy = inShape[0] * inShape[1];
        Parallel.For(0, outShape[2], k =>
        {
            var src = source.Span;
            var dst = destination.Span;
            int z0 = zs.Lower[k] * sxy, z1 = zs.HasUpper[k] ? z0 + sxy : -1;
            var fz = zs.Fraction[k];
            for (var j = 0; j < outShape[1]; j++)
            {
                int y0 = ys.Lower[j] * sx, y1 = ys.HasUpper[j] ? y0 + sx : -1;
                var fy = ys.Fraction[j];
                var row = (k * outShape[1] + j) * outShape[0];
                for (var i = 0; i < outShape[0]; i++)
                {
                    int x0 = xs.Lower[i], x1 = xs.HasUpper[i] ? x0 + 1 : -1;
                    var fx = xs.Fraction[i];
                    var plane0 = Bilinear(src, z0, y0, y1, x0, x1, fx, fy);
                    var value = z1 < 0 ? plane0 : (1 - fz) * plane0 + fz * Bilinear(src, z1, y0, y1, x0, x1, fx, fy);
                    dst[row + i] = (float)value;
                }
            }
        });
    }

    private static double Bilinear(ReadOnlySpan<float> src, int z, int y0, int y1, int x0, int x1, double fx, double fy)
    {
        var line0 = Linear(src, z + y0, x0, x1, fx);
        return y1 < 0 ? line0 : (1 - fy) * line0 + fy * Linear(src, z + y1, x0, x1, fx);
    }

    private static double Linear(ReadOnlySpan<float> src, int start, int x0, int x1, double fx) =>
        x1 < 0 ? src[start + x0] : (1 - fx) * src[start + x0] + fx * src[start + x1];

    /// <summary>Oblique or transposed grids: the full 3×3 map per voxel.</summary>
    private static void ResampleGeneral(ReadOnlyMemory<float> source, int[] inShape, Memory<float> destination, int[] outShape, Affine map)
    {
        int nx = inShape[0], ny = inShape[1], nz = inShape[2], sxy = nx * ny;
        Parallel.For(0, outShape[2], k =>
        {
            var src = source.Span;
            var dst = destination.Span;
            for (var j = 0; j < outShape[1]; j++)
            {
                var row = (k * outShape[1] + j) * outShape[0];
                for (var i = 0; i < outShape[0]; i++)
                {
                    var (px, py, pz) = map.Apply(i, j, k);
                    px = Math.Clamp(px, 0, nx - 1);
                    py = Math.Clamp(py, 0, ny - 1);
                    pz = Math.Clamp(pz, 0, nz - 1);
                    int x0 = (int)Math.Floor(px), y0 = (int)Math.Floor(py), z0 = (int)Math.Floor(pz);
                    double fx = px - x0, fy = py - y0, fz = pz - z0;
                    int x1 = x0 + 1 < nx ? x0 + 1 : -1;
                    int yo0 = y0 * nx, yo1 = y0 + 1 < ny ? (y0 + 1) * nx : -1;
                    int zo0 = z0 * sxy, zo1 = z0 + 1 < nz ? (z0 + 1) * sxy : -1;
                    var plane0 = Bilinear(src, zo0, yo0, yo1, x0, x1, fx, fy);
                    var value = zo1 < 0 ? plane0 : (1 - fz) * plane0 + fz * Bilinear(src, zo1, yo0, yo1, x0, x1, fx, fy);
                    dst[row + i] = (float)value;
                }
            }
        });
    }
}
