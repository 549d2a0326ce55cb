using MerlinAdapt.Preprocessing;
using MerlinAdapt.Volumes;

namespace MerlinAdapt.Tests.Preprocessing;

public sealed class SpatialPadCropTests
{
    /// <summary>Every row of tables/pad_crop.json: where MONAI's SpatialPad then CenterSpatialCrop put the data.</summary>
    [Fact]
    public void PadThenCrop_MatchesMonaiTable()
    {
        foreach (var row in Fixtures.Json("ct-preprocessing/tables/pad_crop.json").GetProperty("rows").EnumerateArray())
        {
            int n = row.GetProperty("input_size").GetInt32(), target = row.GetProperty("target").GetInt32();
            var (before, after) = SpatialPad.Padding(n, target);
            Assert.Equal(row.GetProperty("pad_before").GetInt32(), before);
            Assert.Equal(row.GetProperty("pad_after").GetInt32(), after);
            Assert.Equal(row.GetProperty("crop_start").GetInt32(), CenterSpatialCrop.Start(n + before + after, target));
        }
    }

    [Fact]
    public void Pad_MovesDataAndOrigin()
    {
        var volume = new Volume([1, 2, 3], 3, 1, 1, Affine.Diagonal(2, 1, 1, 10, 0, 0));

        var padded = new SpatialPad([6, 1, 1]).Apply(volume);

        Assert.Equal([0f, 1, 2, 3, 0, 0], padded.Voxels);
        Assert.Equal(8.0, padded.Affine[0, 3]); // one voxel (2 mm) before
    }

    [Fact]
    public void Crop_EvenToOdd_StartsAtHalfMinusHalf()
    {
        var volume = new Volume(Enumerable.Range(0, 22).Select(i => (float)i).ToArray(), 22, 1, 1, Affine.Identity);

        var cropped = new CenterSpatialCrop([21, 1, 1]).Apply(volume);

        Assert.Equal(1f, cropped.Voxels[0]); // 22/2 − 21/2 = 1, not (22 − 21)/2 = 0
        Assert.Equal(1.0, cropped.Affine[0, 3]);
    }
}
