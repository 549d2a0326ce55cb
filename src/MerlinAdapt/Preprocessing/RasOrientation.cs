using MerlinAdapt.Volumes;

namespace MerlinAdapt.Preprocessing;

/// <summary>
/// MONAI's Orientationd(axcodes="RAS"): flips and transposes the voxel axes — no interpolation — so that axis 0 runs
/// towards Right, axis 1 towards Anterior and axis 2 towards Superior; the affine is updated so every voxel keeps its
/// world position. The axis assignment is nibabel's io_orientation (fixture README, "Orientation").
/// </summary>
public static class RasOrientation
{
    /// <summary>For each voxel axis: the world axis (0 = R, 1 = A, 2 = S) it runs along, and +1 or −1.</summary>
    public static (int WorldAxis, int Sign)[] AxisCodes(Affine affine)
    {
        var spacing = affine.Spacing();
        var linear = affine.Linear();
        var rs = new double[9];
        for (var r = 0; r < 3; r++)
            for (var c = 0; c < 3; c++) rs[r * 3 + c] = spacing[c] == 0 ? 0 : linear[r * 3 + c] / spacing[c];
        var polar = NearestOrthogonal(rs);
        var result = new (int, int)[3];
        for (var column = 0; column < 3; column++)
        {
            var best = 0;
            for (var row = 1; row < 3; row++)
                if (Math.Abs(polar[row * 3 + column]) > Math.Abs(polar[best * 3 + column])) best = row;
            result[column] = (best, polar[best * 3 + column] >= 0 ? 1 : -1);
            for (var c = 0; c < 3; c++) polar[best * 3 + c] = 0; // that world axis is taken
        }
        return result;
    }

    /// <summary>Axis codes as letters, e.g. "LAS".</summary>
    public static string AxisLetters(Affine affine) =>
        new(AxisCodes(affine).Select(a => (a.WorldAxis, a.Sign) switch
        {
            (0, 1) => 'R', (0, _) => 'L', (1, 1) => 'A', (1, _) => 'P', (2, 1) => 'S', _ => 'I',
        }).ToArray());

    public static Volume Apply(Volume volume)
    {
        var codes = AxisCodes(volume.Affine);
        if (codes.Select((c, axis) => c.WorldAxis == axis && c.Sign == 1).All(x => x)) return volume;

        int[] inShape = volume.Shape;
        int[] inStride = [1, volume.SizeX, volume.SizeX * volume.SizeY];
        var outShape = new int[3];
        var outStride = new long[3]; // step in the input for one step along each output axis
        long baseOffset = 0;
        var oldIndexOfNewOrigin = new double[3];
        var linear = new double[9];
        for (var inAxis = 0; inAxis < 3; inAxis++)
        {
            var (world, sign) = codes[inAxis];
            outShape[world] = inShape[inAxis];
            outStride[world] = sign * (long)inStride[inAxis];
            if (sign < 0)
            {
                baseOffset += (long)(inShape[inAxis] - 1) * inStride[inAxis];
                oldIndexOfNewOrigin[inAxis] = inShape[inAxis] - 1;
            }
            for (var r = 0; r < 3; r++) linear[r * 3 + world] = sign * volume.Affine[r, inAxis];
        }
        var origin = volume.Affine.Apply(oldIndexOfNewOrigin[0], oldIndexOfNewOrigin[1], oldIndexOfNewOrigin[2]);
        var affine = Affine.FromLinear(linear, [origin.X, origin.Y, origin.Z]);

        var output = GC.AllocateUninitializedArray<float>(volume.Voxels.Length);
        var channelLength = volume.ChannelLength;
        var (nx, ny, nz) = (outShape[0], outShape[1], outShape[2]);
        Parallel.For(0, nz * volume.Channels, slice =>
        {
            var channel = slice / nz;
            var k = slice % nz;
            var src = volume.Voxels.AsSpan(channel * channelLength, channelLength);
            var dst = output.AsSpan(channel * channelLength + k * nx * ny, nx * ny);
            for (var j = 0; j < ny; j++)
            {
                var s = baseOffset + k * outStride[2] + j * outStride[1];
                var row = dst.Slice(j * nx, nx);
                if (outStride[0] == 1) src.Slice((int)s, nx).CopyTo(row);
                else
                    for (var i = 0; i < nx; i++, s += outStride[0]) row[i] = src[(int)s];
            }
        });
        return new Volume(output, nx, ny, nz, affine, volume.Channels);
    }

    /// <summary>The orthogonal factor U·Vᵀ of the polar decomposition (what nibabel takes from the SVD), by Newton iteration.</summary>
    internal static double[] NearestOrthogonal(double[] m)
    {
        var x = (double[])m.Clone();
        for (var iteration = 0; iteration < 100; iteration++)
        {
            var inverseTranspose = InverseTranspose(x);
            if (inverseTranspose is null) return x;
            double change = 0;
            for (var i = 0; i < 9; i++)
            {
                var next = 0.5 * (x[i] + inverseTranspose[i]);
                change = Math.Max(change, Math.Abs(next - x[i]));
                x[i] = next;
            }
            if (change < 1e-15) break;
        }
        return x;
    }

    private static double[]? InverseTranspose(double[] a)
    {
        var det = a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);
        if (Math.Abs(det) < 1e-300) return null;
        // (A⁻¹)ᵀ = cofactor matrix / det
        return
        [
            (a[4] * a[8] - a[5] * a[7]) / det, -(a[3] * a[8] - a[5] * a[6]) / det, (a[3] * a[7] - a[4] * a[6]) / det,
            -(a[1] * a[8] - a[2] * a[7]) / det, (a[0] * a[8] - a[2] * a[6]) / det, -(a[0] * a[7] - a[1] * a[6]) / det,
            (a[1] * a[5] - a[2] * a[4]) / det, -(a[0] * a[5] - a[2] * a[3]) / det, (a[0] * a[4] - a[1] * a[3]) / det,
        ];
    }
}
