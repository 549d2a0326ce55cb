namespace MerlinAdapt.Volumes;

/// <summary>
/// A 3-D image (or several co-registered 3-D images as channels): float32 voxels with X varying fastest, then Y,
/// then Z, then channel — the NIfTI on-disk order — and the voxel → world (RAS+ mm) affine.
/// </summary>
public sealed class Volume
{
    public Volume(float[] voxels, int sizeX, int sizeY, int sizeZ, Affine affine, int channels = 1)
    {
        if (sizeX < 1 || sizeY < 1 || sizeZ < 1 || channels < 1)
            throw new ArgumentException($"invalid volume shape {sizeX}×{sizeY}×{sizeZ}×{channels}");
        if ((long)sizeX * sizeY * sizeZ * channels != voxels.LongLength)
            throw new ArgumentException($"{voxels.LongLength} voxels do not fill a {sizeX}×{sizeY}×{sizeZ}×{channels} volume");
        Voxels = voxels;
        SizeX = sizeX;
        SizeY = sizeY;
        SizeZ = sizeZ;
        Channels = channels;
        Affine = affine;
    }

    public float[] Voxels { get; }
    public int SizeX { get; }
    public int SizeY { get; }
    public int SizeZ { get; }
    public int Channels { get; }
    public Affine Affine { get; }

    public int[] Shape => [SizeX, SizeY, SizeZ];

    /// <summary>Voxels in one channel.</summary>
    public int ChannelLength => SizeX * SizeY * SizeZ;

    /// <summary>Voxel size in mm along each index axis (the affine's column lengths).</summary>
    public double[] Spacing => Affine.Spacing();

    public Span<float> Channel(int channel) => Voxels.AsSpan(channel * ChannelLength, ChannelLength);

    public float this[int i, int j, int k, int channel = 0] =>
        Voxels[((channel * SizeZ + k) * SizeY + j) * SizeX + i];

    public int Index(int i, int j, int k) => (k * SizeY + j) * SizeX + i;

    /// <summary>A single-channel copy of one channel, with the same geometry.</summary>
    public Volume SelectChannel(int channel)
    {
        if (channel < 0 || channel >= Channels) throw new ArgumentOutOfRangeException(nameof(channel));
        return new Volume(Channel(channel).ToArray(), SizeX, SizeY, SizeZ, Affine);
    }

    public Volume WithVoxels(float[] voxels, int sizeX, int sizeY, int sizeZ, Affine affine) =>
        new(voxels, sizeX, sizeY, sizeZ, affine, Channels);

    public override string ToString() =>
        $"{SizeX}×{SizeY}×{SizeZ}" + (Channels > 1 ? $"×{Channels}" : "") +
        $" at {string.Join("×", Spacing.Select(s => s.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)))} mm";
}
