using MerlinAdapt.Volumes;

namespace MerlinAdapt.Tests.Cli;

public sealed class DemoCommandTests
{
    [Fact]
    public void DemoQuick_RunsEndToEnd_AndWritesAModelReadyVolume()
    {
        using var temp = new TempDirectory();

        var (code, output, _) = CliRunner.Run("demo", "--quick", "--out", temp.Path);

        Assert.Equal(0, code);
        Assert.Contains("prepared 2 of 2 scans", output);
        var volume = NiftiReader.Read(temp.File("case000_model_input.nii.gz")).Volume;
        Assert.Equal([224, 224, 160], volume.Shape);
        Assert.InRange(volume.Voxels.Max(), 0.5f, 1f);
        Assert.Equal(0f, volume.Voxels.Min());
    }
}
