using MerlinAdapt.Reports;
using MerlinAdapt.Tests.Reports.Llm;

namespace MerlinAdapt.Tests.Reports;

public sealed class StructuredReportsFileTests
{
    [Fact]
    public void WriteThenRead_GivesTheReportsByStudyId()
    {
        using var temp = new TempDirectory();
        var reports = ReportCorpus.All.Select(c => RuleReportStructurer.Structure(c.Name, c.Text)).ToList();
        reports[0] = reports[0] with { Fallback = "timed out after 120 s (3 attempts)" };

        StructuredReportsFile.Write(temp.File("reports.jsonl"), reports);
        var read = StructuredReportsFile.Read(temp.File("reports.jsonl"));

        Assert.Equal(reports.Select(r => r.StudyId), read.Keys);
        foreach (var report in reports) Assert.Equal(report, read[report.StudyId], StructuredReportComparer.Instance);
        Assert.Equal(reports.Count, File.ReadAllLines(temp.File("reports.jsonl")).Length);
    }

    [Fact]
    public void Lines_HaveTheDesignedKeys()
    {
        using var temp = new TempDirectory();
        StructuredReportsFile.Write(temp.File("r.jsonl"), [RuleReportStructurer.Structure("s1", "FINDINGS: Liver normal. Spleen normal.")]);

        var line = File.ReadAllText(temp.File("r.jsonl"));

        Assert.StartsWith("""{"study_id":"s1","clinical_information":"","findings":"Liver normal. Spleen normal.","impression":"","organs":{"liver":"Liver normal.","spleen":"Spleen normal."},""", line);
        Assert.Contains("\"anatomy_text\":\"Liver and biliary tree: Liver normal. Spleen: Spleen normal.\",\"source\":\"rules\",\"fallback\":null}", line);
    }

    [Fact]
    public void Read_RefusesARepeatedStudy_NamingTheLine()
    {
        using var temp = new TempDirectory();
        var report = RuleReportStructurer.Structure("s1", "Liver normal.");
        StructuredReportsFile.Write(temp.File("r.jsonl"), [report, report]);

        var error = Assert.Throws<InputException>(() => StructuredReportsFile.Read(temp.File("r.jsonl")));

        Assert.Equal(temp.File("r.jsonl"), error.Path);
        Assert.Contains("line 2", error.Problem);
    }

    [Theory]
    [InlineData("{\"study_id\": \"s1\"}\nnot json\n")]
    [InlineData("{\"study_id\": \"s1\"}\n{\"findings\": \"x\"}\n")]
    public void Read_RefusesALineThatIsNoReport(string content)
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("r.jsonl"), content);

        Assert.Contains("line 2", Assert.Throws<InputException>(() => StructuredReportsFile.Read(temp.File("r.jsonl"))).Problem);
    }

    [Fact]
    public void Read_MissingFile_SaysWhichCommandWritesIt()
    {
        Assert.Contains("structure-reports", Assert.Throws<InputException>(() => StructuredReportsFile.Read("/nonexistent/reports.jsonl")).Problem);
    }
}
