using MerlinAdapt.Volumes;

namespace MerlinAdapt.Cohorts.Synthetic;

/// <summary>What <see cref="SyntheticCtGenerator"/> draws: grid, voxel size, axis convention, noise and lesions.</summary>
public sealed record SyntheticScanSpec
{
    /// <summary>Voxels along the stored axes (in-plane, in-plane, slices).</summary>
    public int[] Size { get; init; } = [96, 80, 48];

    /// <summary>Voxel size in mm; the default is a thick-slice abdominal CT at a small matrix.</summary>
    public double[] Spacing { get; init; } = [4.0, 4.0, 6.0];

    public AxisConvention Convention { get; init; } = AxisConvention.Lps;

    /// <summary>Standard deviation of the Gaussian image noise in HU (portal-venous abdominal CT: about 10–20 HU).</summary>
    public double NoiseHu { get; init; } = 12;

    public int Seed { get; init; } = 1;

    public IReadOnlyList<SyntheticLesion> Lesions { get; init; } = [];

    /// <summary>
    /// The anatomy to draw instead of <see cref="AbdomenPhantom"/>'s (a varied body, a fatty or cirrhotic liver, other
    /// contrast timing); <see cref="Lesions"/> are painted over it either way. Null: the standard phantom.
    /// </summary>
    public IReadOnlyList<PhantomShape>? Anatomy { get; init; }

    /// <summary>The voxel → world affine: the body centre sits at the grid centre; LPS negates the two in-plane axes.</summary>
    public Affine Affine()
    {
        double sx = Spacing[0], sy = Spacing[1], sz = Spacing[2];
        var (cx, cy, cz) = ((Size[0] - 1) / 2.0, (Size[1] - 1) / 2.0, (Size[2] - 1) / 2.0);
        return Convention == AxisConvention.Ras
            ? Volumes.Affine.Diagonal(sx, sy, sz, -cx * sx, -cy * sy, -cz * sz)
            : Volumes.Affine.Diagonal(-sx, -sy, sz, cx * sx, cy * sy, -cz * sz);
    }
}
