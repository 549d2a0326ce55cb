using MerlinAdapt.Cohorts;

namespace MerlinAdapt.Tests.Cli;

public sealed class SplitCommandTests
{
    [Fact]
    public void Split_KeepsPatientsTogether_AndStratifiesByLabel()
    {
        using var temp = new TempDirectory();
        var lines = new List<string> { "patient_id,study_id,image,label,site" };
        for (var p = 0; p < 50; p++)
            for (var s = 0; s < 1 + p % 3; s++)
                lines.Add($"p{p},p{p}s{s},img{p}_{s}.nii.gz,{(p % 5 == 0 || (p % 7 == 0 && s == 1) ? "HCC" : "negative")},A");
        File.WriteAllLines(temp.File("m.csv"), lines);

        var (code, output, _) = CliRunner.Run("split", "--manifest", temp.File("m.csv"), "--out", temp.File("m2.csv"), "--seed", "3");

        Assert.Equal(0, code);
        Assert.Contains("no patient in two splits (checked)", output);
        var entries = Manifest.Load(temp.File("m2.csv")).Entries;
        Assert.All(entries.GroupBy(e => e.PatientId), g => Assert.Single(g.Select(e => e.Split).Distinct()));
        var positivePatients = entries.GroupBy(e => e.PatientId).Where(g => g.Any(e => e.Label == "HCC")).ToList();
        foreach (var split in new[] { "train", "val", "test" })
        {
            var share = positivePatients.Count(g => g.First().Split == split) / (double)positivePatients.Count;
            Assert.InRange(share, split == "train" ? 0.5 : 0.1, split == "train" ? 0.7 : 0.3);
        }
        Assert.Equal("A", entries[0].Extra["site"]); // extra columns survive
        var again = CliRunner.Run("split", "--manifest", temp.File("m.csv"), "--out", temp.File("m3.csv"), "--seed", "3");
        Assert.Equal(File.ReadAllText(temp.File("m2.csv")), File.ReadAllText(temp.File("m3.csv")));
    }

    [Fact]
    public void Split_BadRatios_IsAnInputError()
    {
        using var temp = new TempDirectory();
        File.WriteAllLines(temp.File("m.csv"), ["patient_id,study_id,image", "p1,s1,a.nii"]);
        var (code, _, error) = CliRunner.Run("split", "--manifest", temp.File("m.csv"), "--out", temp.File("o.csv"), "--ratios", "0.6,0.4");
        Assert.Equal(1, code);
        Assert.Contains("--ratios: needs three non-negative numbers", error);
    }
}
