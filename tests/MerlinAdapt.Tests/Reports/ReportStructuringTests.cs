using MerlinAdapt.Cohorts;
using MerlinAdapt.Reports;
using MerlinAdapt.Reports.Llm;
using MerlinAdapt.Tests.Reports.Llm;

namespace MerlinAdapt.Tests.Reports;

public sealed class ReportStructuringTests
{
    private static Manifest WriteManifest(TempDirectory temp, params (string Study, string Report)[] rows)
    {
        File.WriteAllText(temp.File("manifest.csv"), "patient_id,study_id,image,report\n" +
            string.Concat(rows.Select(r => $"p-{r.Study},{r.Study},scans/{r.Study}.nii.gz,\"{r.Report.Replace("\"", "\"\"")}\"\n")));
        return Manifest.Load(temp.File("manifest.csv"));
    }

    [Fact]
    public async Task Rules_StructureEveryReport_AndCount()
    {
        using var temp = new TempDirectory();
        var manifest = WriteManifest(temp, ReportCorpus.All.Select(c => (c.Name, c.Text)).Append(("empty", "")).ToArray());
        var progress = new List<StructuringProgress>();

        var summary = await new ReportStructuring().RunAsync(manifest, temp.File("reports.jsonl"), new SyncProgress<StructuringProgress>(progress.Add),
            TestContext.Current.CancellationToken);

        var reports = StructuredReportsFile.Read(temp.File("reports.jsonl"));
        Assert.Equal(ReportCorpus.All.Count + 1, reports.Count);
        Assert.Equal((ReportCorpus.All.Count + 1, 1, ReportCorpus.All.Count + 1, 0), (summary.Total, summary.EmptyReports, summary.ByRules, summary.ByLlm));
        Assert.Equal(ReportCorpus.All.Count(c => c.ClinicalInformation.Length > 0), summary.SectionsFound["clinical_information"]);
        Assert.Equal(ReportCorpus.All.Count(c => c.Organs.ContainsKey("liver")), summary.ReportsPerOrgan["liver"]);
        Assert.Equal(13, summary.ReportsPerOrgan.Count);
        Assert.Empty(summary.Agreement);
        Assert.Equal(summary.Total, progress[^1].Done);
    }

    [Fact]
    public async Task Llm_ReplacesTheRulesWhereItAnswers_FallsBackWhereNot_AndAgreementIsMeasured()
    {
        using var temp = new TempDirectory();
        var manifest = WriteManifest(temp, ("good", "FINDINGS: The liver is nodular. No ascites. IMPRESSION: No HCC."), ("bad", "FINDINGS: Spleen normal."), ("blank", " "));
        using var server = new FakeChatServer((request, number) => FakeChatServer.Question(request).Contains("Spleen normal")
            ? new(200, "I cannot help with that.")
            : LlmReportStructurerTests.GoodModel(request, number));
        var llm = new LlmOptions { Endpoint = server.Endpoint, Model = "m", RetryDelay = TimeSpan.Zero, CacheDirectory = temp.File("cache") };

        var summary = await new ReportStructuring(llm).RunAsync(manifest, temp.File("reports.jsonl"), cancel: TestContext.Current.CancellationToken);

        var reports = StructuredReportsFile.Read(temp.File("reports.jsonl"));
        Assert.Equal(ReportSource.Llm, reports["good"].Source);
        Assert.Equal((ReportSource.Rules, "the answer holds no JSON object"), (reports["bad"].Source, reports["bad"].Fallback));
        Assert.Equal("Spleen normal.", reports["bad"].Organs["spleen"]);
        Assert.Null(reports["blank"].Fallback); // nothing to ask about
        Assert.Equal((1, 2, 1), (summary.ByLlm, summary.ByRules, summary.FallbackCount));
        Assert.Equal(1, summary.Fallbacks["the answer holds no JSON object"]);
        Assert.Equal(1, summary.AgreementReports);
        Assert.Equal(4, summary.Agreement.Count);
        Assert.Equal(1.0, summary.Agreement["impression"]);
        Assert.InRange(summary.Agreement["findings"], 0.5, 0.99); // the fake model adds a sentence the report lacks

        var rerun = await new ReportStructuring(llm).RunAsync(manifest, temp.File("again.jsonl"), cancel: TestContext.Current.CancellationToken);
        Assert.Equal(1, rerun.FromCache);
    }

    [Fact]
    public async Task MissingReportFile_StopsTheRunBeforeAnyRequest()
    {
        using var temp = new TempDirectory();
        var manifest = WriteManifest(temp, ("a", "reports/a.txt"));
        using var server = new FakeChatServer(LlmReportStructurerTests.GoodModel);
        var llm = new LlmOptions { Endpoint = server.Endpoint, Model = "m" };

        var error = await Assert.ThrowsAsync<InputException>(() =>
            new ReportStructuring(llm).RunAsync(manifest, temp.File("reports.jsonl"), cancel: TestContext.Current.CancellationToken));

        Assert.Contains("reports/a.txt not found", error.Message);
        Assert.Empty(server.Requests);
        Assert.False(File.Exists(temp.File("reports.jsonl")));
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
