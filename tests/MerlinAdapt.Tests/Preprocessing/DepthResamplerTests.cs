using MerlinAdapt.Preprocessing;
using MerlinAdapt.Volumes;

namespace MerlinAdapt.Tests.Preprocessing;

public sealed class DepthResamplerTests
{
    [Fact]
    public void Apply_AlignCorners_KeepsEndSlicesAndInterpolatesBetween()
    {
        // One voxel per slice, values 0, 10, 20 at z = 0, 1, 2 (3 mm apart).
        var volume = new Volume([0, 10, 20], 1, 1, 3, Affine.Diagonal(1, 1, 3, 0, 0, 5));

        var resampled = new DepthResampler(5).Apply(volume);

        Assert.Equal([0f, 5, 10, 15, 20], resampled.Voxels);
        Assert.Equal(1.5, resampled.Affine[2, 2], 12);
        Assert.Equal(5.0, resampled.Affine[2, 3]);
    }

    [Fact]
    public void CtPreprocessor_ResampleMode_ReachesExactDepthWithoutPadding()
    {
        var volume = new Volume(Enumerable.Repeat(0f, 8 * 8 * 7).ToArray(), 8, 8, 7, Affine.Diagonal(1, 1, 3));

        var output = new CtPreprocessor(new PreprocessingOptions { Spacing = [1, 1, 3], Size = [6, 8, 16], Depth = DepthMode.Resample })
            .Process(volume);

        Assert.Equal([6, 8, 16], output.Shape);
        Assert.All(output.Voxels, v => Assert.Equal(0.5f, v)); // 0 HU everywhere, depth stretched rather than zero-padded
    }
}
