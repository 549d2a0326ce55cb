using MerlinAdapt.Cohorts;
using MerlinAdapt.Model.Tokenization;
using MerlinAdapt.Volumes;

namespace MerlinAdapt.Tests.Cli;

public sealed class SynthCommandTests
{
    [Fact]
    public void Synth_WritesScansReportsManifestAndTokenizer()
    {
        using var temp = new TempDirectory();
        var (code, output, error) = CliRunner.Run("synth", "--out", temp.Path, "--hospital", "B", "--patients", "6", "--seed", "2", "--size", "48,40,24");

        Assert.True(code == 0, error);
        Assert.Contains("hospital B, 6 patients", output);
        Assert.Contains("synth", error); // the progress lines
        var manifest = Manifest.Load(Path.Combine(temp.Path, "manifest.csv"));
        Assert.Equal(6, manifest.Entries.Select(e => e.PatientId).Distinct().Count());
        Assert.Equal(3, manifest.Entries.Where(e => e.Label == "HCC").Select(e => e.PatientId).Distinct().Count());
        var scan = new VolumeLoader().Load(manifest.ImagePath(manifest.Entries[0])).Volume;
        Assert.Equal([48, 40, 24], scan.Shape);
        Assert.All(manifest.Entries, e => Assert.True(File.Exists(Path.Combine(temp.Path, e.Report))));
        using var tokenizer = TextTokenizer.Load(Path.Combine(temp.Path, "tokenizer.json"));
        var batch = tokenizer.EncodeBatch([.. manifest.Entries.Select(e => File.ReadAllText(Path.Combine(temp.Path, e.Report)))]);
        Assert.DoesNotContain(3L, batch.Ids.Cast<long>());
    }

    [Theory]
    [InlineData("--hospital", "C", "--hospital")]
    [InlineData("--patients", "0", "--patients")]
    [InlineData("--size", "4,4,4", "--size")]
    public void Synth_BadInput_ExitsOne(string option, string value, string named)
    {
        using var temp = new TempDirectory();
        var (code, _, error) = CliRunner.Run("synth", "--out", temp.Path, option, value);
        Assert.Equal(1, code);
        Assert.Contains(named, error);
        Assert.False(File.Exists(Path.Combine(temp.Path, "manifest.csv")));
    }
}
