namespace MerlinAdapt.Volumes;

/// <summary>How <see cref="VolumeLoader"/> treats what it reads.</summary>
public sealed record VolumeLoadOptions
{
    /// <summary>Carry NaN/Inf voxels through (as MONAI does) instead of refusing the file: a CT with NaN is damaged.</summary>
    public bool AllowNan { get; init; }

    /// <summary>Pick one volume (0-based) of a 4-D file.</summary>
    public int? VolumeIndex { get; init; }

    /// <summary>
    /// Refuse a multi-volume file unless <see cref="VolumeIndex"/> picks one: the model takes one 3-D volume.
    /// `preprocess` alone keeps every volume, one channel each, as MONAI does.
    /// </summary>
    public bool RequireSingleVolume { get; init; }

    /// <summary>Largest accepted |cosine| between two direction columns of the affine; more means a sheared grid.</summary>
    public double OrthogonalityTolerance { get; init; } = 1e-3;
}
