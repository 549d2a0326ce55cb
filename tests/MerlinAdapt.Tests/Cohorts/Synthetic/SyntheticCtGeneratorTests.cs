using MerlinAdapt.Cohorts.Synthetic;
using MerlinAdapt.Preprocessing;
using MerlinAdapt.Volumes;

namespace MerlinAdapt.Tests.Cohorts.Synthetic;

public sealed class SyntheticCtGeneratorTests
{
    private static readonly SyntheticScanSpec Small = new() { Size = [48, 40, 24], Spacing = [8, 8, 12], NoiseHu = 0 };

    [Fact]
    public void Generate_PlacesOrgansAtTheirHu()
    {
        var volume = SyntheticCtGenerator.Generate(Small with { Convention = AxisConvention.Ras });
        var toVoxel = volume.Affine.Inverse();

        float At(double x, double y, double z)
        {
            var (i, j, k) = toVoxel.Apply(x, y, z);
            return volume[(int)Math.Round(i), (int)Math.Round(j), (int)Math.Round(k)];
        }

        Assert.Equal(100f, At(62, 20, 45));    // liver, patient's right
        Assert.Equal(110f, At(-85, -25, 45));  // spleen, patient's left
        Assert.Equal(160f, At(-15, -35, -100)); // aorta
        Assert.Equal(-1000f, At(-180, 0, 0));  // air beside the body
    }

    [Fact]
    public void Generate_SameSeed_SameVolume_AndNoiseHasTheRequestedSpread()
    {
        var spec = Small with { NoiseHu = 15, Seed = 7 };
        var a = SyntheticCtGenerator.Generate(spec);
        var b = SyntheticCtGenerator.Generate(spec);
        var c = SyntheticCtGenerator.Generate(spec with { Seed = 8 });
        var clean = SyntheticCtGenerator.Generate(spec with { NoiseHu = 0 });

        Assert.Equal(a.Voxels, b.Voxels);
        Assert.NotEqual(a.Voxels, c.Voxels);
        var noise = a.Voxels.Zip(clean.Voxels, (x, y) => (double)(x - y)).ToArray();
        var sd = Math.Sqrt(noise.Sum(v => v * v) / noise.Length);
        Assert.InRange(sd, 14.5, 15.5);
    }

    /// <summary>The same anatomy stored LPS (as DICOM converters write) and RAS preprocesses to the same model input.</summary>
    [Fact]
    public void LpsAndRasFiles_PreprocessIdentically()
    {
        using var temp = new TempDirectory();
        var lps = temp.File("lps.nii.gz");
        var ras = temp.File("ras.nii.gz");
        SyntheticCtGenerator.Write(Small with { Convention = AxisConvention.Lps }, lps);
        SyntheticCtGenerator.Write(Small with { Convention = AxisConvention.Ras }, ras);
        var preprocessor = new CtPreprocessor(new PreprocessingOptions { Spacing = [6, 6, 10], Size = [64, 56, 32] });

        var fromLps = preprocessor.Process(new VolumeLoader().Load(lps).Volume);
        var fromRas = preprocessor.Process(new VolumeLoader().Load(ras).Volume);

        Assert.Equal("LPS", RasOrientation.AxisLetters(NiftiReader.Read(lps).Volume.Affine));
        Assert.Equal(fromRas.Affine, fromLps.Affine);
        Assert.Equal(fromRas.Voxels, fromLps.Voxels);
        Assert.Contains(fromRas.Voxels, v => v is > 0.5f and < 0.6f); // soft tissue survived the window
    }
}
