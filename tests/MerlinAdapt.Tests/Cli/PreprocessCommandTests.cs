using MerlinAdapt.Tests.Preprocessing;
using MerlinAdapt.Volumes;

namespace MerlinAdapt.Tests.Cli;

public sealed class PreprocessCommandTests
{
    [Fact]
    public void Preprocess_RealCt_WritesMonaisOutput()
    {
        using var temp = new TempDirectory();
        var golden = MonaiGoldenCase.Load("ct5n_merlin");
        var output = temp.File("ct5n.nii.gz");

        var (code, stdout, _) = CliRunner.Run("preprocess", "--in", golden.InputPath, "--out", output);

        Assert.Equal(0, code);
        Assert.Contains("224×224×160", stdout);
        var written = NiftiReader.Read(output);
        Assert.Equal(NiftiDataType.Float32, written.DataType);
        var expected = golden.Stage("")!.Value;
        CtPreprocessorTests.AssertClose(expected.Volume.Voxels, written.Volume.Voxels, 1e-6, 0, "cli output");
        Assert.True(written.Volume.Affine.MaxAbsDifference(expected.Affine) < 2e-5); // float32 header
    }

    [Fact]
    public void Preprocess_FourDimensional_KeepsOneChannelPerVolume_OrPicksOne()
    {
        using var temp = new TempDirectory();
        var input = Fixtures.Path("ct-preprocessing/inputs/example4d.nii.gz");

        var (all, _, warnings) = CliRunner.Run("preprocess", "--in", input, "--out", temp.File("all.nii"), "--spacing", "3,3,4", "--size", "64,48,20");
        var (one, _, _) = CliRunner.Run("preprocess", "--in", input, "--out", temp.File("one.nii"), "--spacing", "3,3,4", "--size", "64,48,20", "--volume", "1");

        Assert.Equal((0, 0), (all, one));
        Assert.Contains("2 volumes become 2 channels", warnings);
        Assert.Equal(2, NiftiReader.Read(temp.File("all.nii")).Volume.Channels);
        var second = NiftiReader.Read(temp.File("all.nii")).Volume.Channel(1).ToArray();
        Assert.Equal(second, NiftiReader.Read(temp.File("one.nii")).Volume.Voxels);
    }

    [Fact]
    public void Preprocess_BadInput_IsOneLineNamingTheFile()
    {
        using var temp = new TempDirectory();
        var bad = temp.File("bad.nii.gz");
        File.WriteAllBytes(bad, [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]);

        var (code, _, error) = CliRunner.Run("preprocess", "--in", bad, "--out", temp.File("o.nii.gz"));

        Assert.Equal(1, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith($"merlin-adapt: {bad}: ", error);
        Assert.False(File.Exists(temp.File("o.nii.gz")));
    }

    [Fact]
    public void Preprocess_OutputNotNifti_IsRefused()
    {
        var (code, _, error) = CliRunner.Run("preprocess", "--in", "x.nii", "--out", "x.png");
        Assert.Equal(1, code);
        Assert.Contains("x.png: output must end in .nii or .nii.gz", error);
    }
}
