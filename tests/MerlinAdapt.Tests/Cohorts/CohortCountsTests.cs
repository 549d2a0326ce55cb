using MerlinAdapt.Cohorts;
using MerlinAdapt.Tests.Reporting;

namespace MerlinAdapt.Tests.Cohorts;

public sealed class CohortCountsTests
{
    [Fact]
    public void Of_CountsScansAndDistinctPatients_PerSplitAndLabel()
    {
        using var temp = new TempDirectory();
        var counts = CohortCounts.Of(Manifest.Load(SampleRunFolder.WriteManifest(temp.File("manifest.csv"))));

        Assert.Equal(["train", "val", "test", ""], counts.Splits);
        Assert.Equal(["HCC", "negative", ""], counts.Labels);
        Assert.Equal((2, 2), counts.Count("train", "HCC"));
        Assert.Equal((2, 2), counts.Count("train", "negative"));
        Assert.Equal((4, 3), counts.Count("train", null));     // p0 has a scan of each label
        Assert.Equal((2, 1), counts.Count("val", "HCC"));
        Assert.Equal((0, 0), counts.Count("val", "negative"));
        Assert.Equal((5, 4), counts.Count(null, "HCC"));
        Assert.Equal((1, 1), counts.Count("", ""));
        Assert.Equal((9, 7), counts.Count(null, null));
    }
}
