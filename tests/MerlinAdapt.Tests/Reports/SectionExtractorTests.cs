using MerlinAdapt.Reports;

namespace MerlinAdapt.Tests.Reports;

public sealed class SectionExtractorTests
{
    [Theory]
    [InlineData("CLINICAL HISTORY: a.\nFINDINGS: b.\nIMPRESSION: c.")]
    [InlineData("Indication: a.\nFindings: b.\nConclusion: c.")]
    [InlineData("Reason for exam: a.\n\nFINDINGS\nb.\n\nOPINION\nc.")]
    [InlineData("History/Indication: a. Findings: b. Impressions: c.")]
    [InlineData("**Clinical information:** a.\n**Findings:** b.\n**Summary:** c.")]
    [InlineData("Clinical details: a.\nTechnique: t.\nComparison: none.\nReport: b.\nDiagnosis: c.")]
    public void Extract_KnowsTheCommonHeaderSpellings(string report)
    {
        Assert.Equal(new ReportSections("a.", "b.", "c."), SectionExtractor.Extract(report));
    }

    [Fact]
    public void Extract_LeavesOutTechniqueComparisonAndSignature()
    {
        var sections = SectionExtractor.Extract(
            "TECHNIQUE: Portal venous phase.\nCOMPARISON: 2023.\nFINDINGS: Normal liver.\nIMPRESSION: Normal.\nSigned by: Dr. Example");

        Assert.Equal(new ReportSections("", "Normal liver.", "Normal."), sections);
    }

    [Fact]
    public void Extract_ReportWithoutHeaders_IsAllFindings()
    {
        Assert.Equal(new ReportSections("", "The liver is normal.\nNo ascites.", ""), SectionExtractor.Extract("The liver is normal.\nNo ascites."));
    }

    [Fact]
    public void Extract_ASentenceThatStartsLikeAHeader_IsNoHeader()
    {
        var sections = SectionExtractor.Extract("History of HCC. Findings are stable since 2023. Impression is unchanged.");

        Assert.Equal(new ReportSections("", "History of HCC. Findings are stable since 2023. Impression is unchanged.", ""), sections);
    }

    [Fact]
    public void Extract_BodyAfterTheFirstParagraphOfAHeadedSection_IsFindings()
    {
        var sections = SectionExtractor.Extract("INDICATION: HCC screening.\n\nThe liver is cirrhotic.\n\nIMPRESSION: Cirrhosis.");

        Assert.Equal(new ReportSections("HCC screening.", "The liver is cirrhotic.", "Cirrhosis."), sections);
    }

    [Fact]
    public void Extract_TextBeforeFindings_IsClinicalInformation_WithoutTheExamTitle()
    {
        var sections = SectionExtractor.Extract("CT ABDOMEN WITH CONTRAST\n70M with cirrhosis.\nFINDINGS: Normal.");

        Assert.Equal("70M with cirrhosis.", sections.ClinicalInformation);
    }
}
