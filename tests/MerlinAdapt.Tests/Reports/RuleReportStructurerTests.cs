using MerlinAdapt.Reports;

namespace MerlinAdapt.Tests.Reports;

public sealed class RuleReportStructurerTests
{
    public static TheoryData<string> Cases => new(ReportCorpus.All.Select(c => c.Name));

    private static ReportCorpus.Case Get(string name) => ReportCorpus.All.Single(c => c.Name == name);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Structure_FindsTheSections(string name)
    {
        var expected = Get(name);

        var report = RuleReportStructurer.Structure(name, expected.Text);

        Assert.Equal(expected.ClinicalInformation, report.ClinicalInformation);
        Assert.StartsWith(expected.Findings, report.Findings);
        Assert.Equal(expected.Impression, report.Impression);
        Assert.Equal(ReportSource.Rules, report.Source);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Structure_AssignsSentencesToTheirOrganSystems(string name)
    {
        var expected = Get(name);

        var report = RuleReportStructurer.Structure(name, expected.Text);

        Assert.Equal(expected.Organs.Keys.OrderBy(k => k), report.Organs.Keys.OrderBy(k => k));
        foreach (var (organ, sentences) in expected.Organs)
            foreach (var sentence in sentences) Assert.Contains(sentence, report.Organs[organ]);
        AssertUnplaced(expected.UnplacedFindings, report.Unplaced.GetValueOrDefault("findings"));
        AssertUnplaced(expected.UnplacedImpression, report.Unplaced.GetValueOrDefault("impression"));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Structure_LosesNoSentenceOfFindingsOrImpression(string name)
    {
        var report = RuleReportStructurer.Structure(name, Get(name).Text);

        var placed = string.Join(' ', report.Organs.Values.Concat(report.Unplaced.Values));
        foreach (var sentence in SentenceSplitter.Split(report.Findings + " " + report.Impression))
        {
            var body = Label.Replace(sentence.Text, ""); // "LIVER: …", "OTHER: …": headers, not text
            if (body.Length > 0 && !body.EndsWith(':')) Assert.Contains(body, placed);
        }
    }

    [Fact]
    public void AnatomyText_IsMerlinStyle_InTemplateOrder_UnplacedLast()
    {
        var report = RuleReportStructurer.Structure("s", Get("uk-clinical-details-report-opinion").Text);

        Assert.StartsWith("Liver and biliary tree: The liver is cirrhotic.", report.AnatomyText);
        Assert.Contains(" Spleen: Spleen is enlarged at 16 cm. Stable splenomegaly. Pancreas: ", report.AnatomyText);
        Assert.EndsWith(" Musculoskeletal: Bones unremarkable. Findings: Comparison is made with the previous CT of 12.01.2024.", report.AnatomyText);
    }

    [Fact]
    public void Negations_StayWithTheirSentence()
    {
        var report = RuleReportStructurer.Structure("s", "FINDINGS: No hydronephrosis or renal calculi. No free fluid. Liver without focal lesion.");

        Assert.Equal("No hydronephrosis or renal calculi.", report.Organs["kidneys"]);
        Assert.Equal("No free fluid.", report.Organs["peritoneum"]);
        Assert.Equal("Liver without focal lesion.", report.Organs["liver"]);
    }

    [Fact]
    public void EmptyReport_GivesEmptySections()
    {
        var report = RuleReportStructurer.Structure("s", "  \n ");

        Assert.Equal(("", "", "", ""), (report.ClinicalInformation, report.Findings, report.Impression, report.AnatomyText));
        Assert.Empty(report.Organs);
    }

    [Fact]
    public void Structure_IsDeterministic()
    {
        var text = Get("us-headed-template").Text;

        Assert.Equal(RuleReportStructurer.Structure("s", text).AnatomyText, RuleReportStructurer.Structure("s", text).AnatomyText);
    }

    private static readonly System.Text.RegularExpressions.Regex Label = new(@"^[A-Za-z ]{1,40}:\s*");

    private static void AssertUnplaced(string[]? expected, string? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }
        Assert.NotNull(actual);
        foreach (var sentence in expected) Assert.Contains(sentence, actual);
    }
}
