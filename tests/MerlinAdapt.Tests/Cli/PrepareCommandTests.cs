using MerlinAdapt.Cohorts.Synthetic;

namespace MerlinAdapt.Tests.Cli;

public sealed class PrepareCommandTests
{
    [Fact]
    public void Prepare_ReportsSummary_FailuresExitWith1_RerunSkips()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.File("scans"));
        SyntheticCtGenerator.Write(new SyntheticScanSpec { Size = [32, 28, 16], Spacing = [10, 10, 15] }, temp.File("scans/a.nii.gz"));
        File.WriteAllText(temp.File("manifest.csv"), "patient_id,study_id,image\np1,a,scans/a.nii.gz\np2,b,scans/b.nii.gz\n");
        string[] args = ["prepare", "--manifest", temp.File("manifest.csv"), "--out", temp.File("cache"), "--spacing", "8,8,12", "--size", "48,40,24"];

        var (code, output, error) = CliRunner.Run(args);

        Assert.Equal(1, code);
        Assert.Contains("1 prepared, 0 already cached, 1 failed, of 2 scans", output);
        Assert.Contains("failures.csv", output);
        Assert.Contains("prepare 2/2 (100", error); // progress, as plain lines when redirected
        var rerun = CliRunner.Run(args);
        Assert.Contains("0 prepared, 1 already cached, 1 failed", rerun.Out);
    }

    [Fact]
    public void Prepare_MultiVolumeScan_IsAFailureNamingTheFix()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("manifest.csv"),
            $"patient_id,study_id,image\np1,four,{Fixtures.Path("ct-preprocessing/inputs/example4d.nii.gz")}\n");

        var (code, _, _) = CliRunner.Run("prepare", "--manifest", temp.File("manifest.csv"), "--out", temp.File("cache"), "--size", "32,32,16");

        Assert.Equal(1, code);
        Assert.Contains("--volume N", File.ReadAllText(temp.File("cache/failures.csv")));
    }
}
