using MerlinAdapt.Volumes;

namespace MerlinAdapt.Cohorts.Synthetic;

/// <summary>
/// Draws a synthetic abdominal CT in HU from <see cref="AbdomenPhantom"/> and a <see cref="SyntheticScanSpec"/>:
/// each voxel takes the last shape containing its world position (air, −1000 HU, outside the body), plus seeded
/// Gaussian noise. The same spec and seed always give the same volume; LPS and RAS give the same anatomy.
/// </summary>
public static class SyntheticCtGenerator
{
    public static Volume Generate(SyntheticScanSpec spec)
    {
        var affine = spec.Affine();
        List<PhantomShape> shapes = [.. spec.Anatomy ?? AbdomenPhantom.Shapes(), .. AbdomenPhantom.LesionShapes(spec.Lesions)];
        var (nx, ny, nz) = (spec.Size[0], spec.Size[1], spec.Size[2]);
        var voxels = new float[nx * ny * nz];
        Parallel.For(0, nz, k =>
        {
            // One generator per slice, seeded from (seed, slice): deterministic whatever the thread schedule
            // (HashCode.Combine would not do: it is randomised per process).
            var random = new Random(unchecked(spec.Seed * 1_000_003 + k * 7_919 + 17));
            var z = affine.Apply(0, 0, k).Z;
            var inSlice = shapes.Where(s => s.SpansZ(z)).ToArray();
            for (var j = 0; j < ny; j++)
            {
                var y = affine.Apply(0, j, k).Y;
                var inRow = inSlice.Where(s => s.SpansY(y)).ToArray();
                for (var i = 0; i < nx; i++)
                {
                    var x = affine.Apply(i, j, k).X;
                    var hu = -1000.0;
                    for (var s = inRow.Length - 1; s >= 0; s--)
                        if (inRow[s].Contains(x, y, z)) { hu = inRow[s].Hu; break; }
                    voxels[(k * ny + j) * nx + i] = (float)(hu + spec.NoiseHu * Gaussian(random));
                }
            }
        });
        return new Volume(voxels, nx, ny, nz, affine);
    }

    /// <summary>Writes the scan as int16 NIfTI; LPS files store raw + 1024 with scl_inter −1024, as dcm2niix does.</summary>
    public static Volume Write(SyntheticScanSpec spec, string path)
    {
        var volume = Generate(spec);
        var options = spec.Convention == AxisConvention.Lps
            ? new NiftiWriteOptions { DataType = NiftiDataType.Int16, Inter = -1024, Description = "MerlinAdapt synthetic CT" }
            : new NiftiWriteOptions { DataType = NiftiDataType.Int16, Description = "MerlinAdapt synthetic CT" };
        NiftiWriter.Write(volume, path, options with { Compression = System.IO.Compression.CompressionLevel.Optimal });
        return volume;
    }

    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
