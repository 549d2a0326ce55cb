using MerlinAdapt.Reports;

namespace MerlinAdapt.Tests.Reports;

public sealed class StructuredReportTests
{
    [Fact]
    public void OrganSections_AreHeaderAndText_InMerlinsOrder()
    {
        var report = new StructuredReport
        {
            StudyId = "s1",
            Organs = new Dictionary<string, string> { ["spleen"] = "Splenomegaly.", ["musculoskeletal"] = "No lesion.", ["liver"] = "Cirrhosis. No HCC." },
        };

        Assert.Equal(["Liver and biliary tree: Cirrhosis. No HCC.", "Spleen: Splenomegaly.", "Musculoskeletal: No lesion."], report.OrganSections());
    }
}
