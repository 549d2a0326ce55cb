using MerlinAdapt.Cohorts;

namespace MerlinAdapt.Tests.Cohorts;

public sealed class ManifestTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Write(string text)
    {
        var path = _temp.File("manifest.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Load_ReadsRows_ResolvesImagesAndKeepsExtraColumns()
    {
        var path = Write("patient_id,study_id,image,report,label,split,phase,site\n" +
                         "p1,s1,scans/a.nii.gz,\"Liver: 2 cm lesion, washout.\",HCC,train,portal_venous,A\n" +
                         "p1,s2,scans/b.nii.gz,,negative,,,A\n");

        var manifest = Manifest.Load(path);

        Assert.Equal(2, manifest.Entries.Count);
        Assert.Equal("Liver: 2 cm lesion, washout.", manifest.Entries[0].Report);
        Assert.Equal(Path.Combine(_temp.Path, "scans", "a.nii.gz"), manifest.ImagePath(manifest.Entries[0]));
        Assert.Equal("A", manifest.Entries[1].Extra["site"]);
        Assert.Equal(3, manifest.Entries[1].Line);

        var copy = _temp.File("copy.csv");
        manifest.Save(copy);
        Assert.Equal(manifest.Entries.Select(e => e with { Extra = e.Extra }).Select(e => (e.StudyId, e.Report, e.Extra["site"])),
            Manifest.Load(copy).Entries.Select(e => (e.StudyId, e.Report, e.Extra["site"])));
    }

    [Theory]
    [InlineData("patient_id,image\np1,a.nii\n", "lacks the column(s) study_id")]
    [InlineData("patient_id,study_id,image\np1,s1,a.nii\np2,s1,b.nii\n", "line 3: study_id \"s1\" repeats line 2")]
    [InlineData("patient_id,study_id,image\np1,,a.nii\n", "line 2: study_id is empty")]
    [InlineData("patient_id,study_id,image,split\np1,s1,a.nii,training\n", "line 2: split \"training\" is not train, val, test or empty")]
    [InlineData("patient_id,study_id,image\n", "has a header but no rows")]
    [InlineData("", "manifest is empty")]
    public void Load_BadManifest_NamesFileLineAndProblem(string text, string problem)
    {
        var path = Write(text);
        var e = Assert.Throws<InputException>(() => Manifest.Load(path));
        Assert.Equal(path, e.Path);
        Assert.Contains(problem, e.Message);
    }
}
