using MerlinAdapt.Volumes;

namespace MerlinAdapt.Preprocessing;

/// <summary>
/// Copies a box of a volume's grid: output voxel v is input voxel v + start, or 0 where that falls outside.
/// Padding (negative start) and cropping (positive start) are both this; the affine moves with the box.
/// </summary>
internal static class GridWindow
{
    public static Volume Extract(Volume volume, int[] start, int[] size)
    {
        if (start.All(s => s == 0) && size.SequenceEqual(volume.Shape)) return volume;
        var (nx, ny, nz) = (size[0], size[1], size[2]);
        var output = new float[nx * ny * nz * volume.Channels];
        var channelLength = volume.ChannelLength;
        // The x range that lands inside the input is the same for every row.
        var iFrom = Math.Max(0, -start[0]);
        var iTo = Math.Min(nx, volume.SizeX - start[0]);
        Parallel.For(0, nz * volume.Channels, slice =>
        {
            var channel = slice / nz;
            var k = slice % nz;
            var sk = k + start[2];
            if (sk < 0 || sk >= volume.SizeZ || iFrom >= iTo) return;
            var src = volume.Voxels.AsSpan(channel * channelLength, channelLength);
            var dst = output.AsSpan(channel * nx * ny * nz, nx * ny * nz);
            for (var j = 0; j < ny; j++)
            {
                var sj = j + start[1];
                if (sj < 0 || sj >= volume.SizeY) continue;
                src.Slice(volume.Index(iFrom + start[0], sj, sk), iTo - iFrom)
                   .CopyTo(dst.Slice((k * ny + j) * nx + iFrom, iTo - iFrom));
            }
        });
        return new Volume(output, nx, ny, nz, volume.Affine.Shifted(start[0], start[1], start[2]), volume.Channels);
    }
}
