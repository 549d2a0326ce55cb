using MerlinAdapt.Reports;
using MerlinAdapt.Tests.Reports;
using MerlinAdapt.Tests.Reports.Llm;

namespace MerlinAdapt.Tests.Cli;

public sealed class StructureReportsCommandTests
{
    /// <summary>A manifest with two reports as .txt files and one as inline text, as hospitals export them.</summary>
    private static string WriteManifest(TempDirectory temp)
    {
        Directory.CreateDirectory(temp.File("reports"));
        File.WriteAllText(temp.File("reports/a.txt"), ReportCorpus.All[0].Text);
        File.WriteAllText(temp.File("reports/b.txt"), ReportCorpus.All[2].Text);
        File.WriteAllText(temp.File("manifest.csv"),
            "patient_id,study_id,image,report\n" +
            "p1,a,scans/a.nii.gz,reports/a.txt\n" +
            "p2,b,scans/b.nii.gz,reports/b.txt\n" +
            "p3,c,scans/c.nii.gz,\"FINDINGS: The liver is nodular. No ascites. IMPRESSION: No HCC.\"\n");
        return temp.File("manifest.csv");
    }

    [Fact]
    public void Rules_WriteReportsJsonl_AndASummary()
    {
        using var temp = new TempDirectory();

        var (code, output, error) = CliRunner.Run("structure-reports", "--manifest", WriteManifest(temp), "--out", temp.File("out/reports.jsonl"));

        Assert.True(code == 0, error);
        var reports = StructuredReportsFile.Read(temp.File("out/reports.jsonl"));
        Assert.Equal(["a", "b", "c"], reports.Keys);
        Assert.All(reports.Values, r => Assert.Equal(ReportSource.Rules, r.Source));
        Assert.StartsWith("Liver and biliary tree: The liver is nodular.", reports["c"].AnatomyText);
        Assert.Contains("structure-reports: 3 reports", output);
        Assert.Contains("sections found: clinical information 2/3, findings 3/3, impression 3/3", output);
        Assert.Contains("reports per organ: lower thorax 1, liver 3, gallbladder 1, spleen 2,", output);
        Assert.Contains("structured by: rules", output);
        Assert.Contains("structure-reports 3/3 (100", error); // progress
    }

    [Fact]
    public void Llm_StructuresThroughTheEndpoint_FallsBackPerReport_AndReportsAgreement()
    {
        using var temp = new TempDirectory();
        using var server = new FakeChatServer((request, number) => FakeChatServer.Question(request).Contains("Opinion:")
            ? new(200, "not json")
            : LlmReportStructurerTests.GoodModel(request, number));

        var (code, output, error) = CliRunner.Run("structure-reports", "--manifest", WriteManifest(temp), "--out", temp.File("reports.jsonl"),
            "--llm", server.Endpoint.ToString(), "--llm-model", "qwen3-8b");

        Assert.True(code == 0, error);
        var reports = StructuredReportsFile.Read(temp.File("reports.jsonl"));
        Assert.Equal([ReportSource.Llm, ReportSource.Rules, ReportSource.Llm], reports.Values.Select(r => r.Source));
        Assert.Contains("structured by: LLM 2 (0 from the cache), rules 1", output);
        Assert.Contains("fall-backs to rules: 1 (the answer holds no JSON object: 1)", output);
        Assert.Contains("agreement rules vs LLM (token F1, mean of 2 reports): clinical information ", output);
        Assert.Contains("warning: study b: the LLM gave no usable structure (the answer holds no JSON object); using the rules", error);
        Assert.True(Directory.Exists(temp.File("reports.llm-cache")));

        var requests = server.Requests.Count;
        var rerun = CliRunner.Run("structure-reports", "--manifest", temp.File("manifest.csv"), "--out", temp.File("reports.jsonl"),
            "--llm", server.Endpoint.ToString(), "--llm-model", "qwen3-8b");
        Assert.Contains("structured by: LLM 2 (2 from the cache), rules 1", rerun.Out);
        Assert.Equal(requests + 1, server.Requests.Count); // only the report that failed is asked again
    }

    [Fact]
    public void RefusedConnection_FallsBackForEveryReport_AndStillSucceeds()
    {
        using var temp = new TempDirectory();

        var (code, output, _) = CliRunner.Run("structure-reports", "--manifest", WriteManifest(temp), "--out", temp.File("reports.jsonl"),
            "--llm", $"http://127.0.0.1:{FakeChatServer.ClosedPort()}/v1", "--llm-model", "m", "--llm-attempts", "1");

        Assert.Equal(0, code);
        Assert.Contains("fall-backs to rules: 3 (could not connect (connection refused): 3)", output);
        Assert.All(StructuredReportsFile.Read(temp.File("reports.jsonl")).Values, r => Assert.Equal(ReportSource.Rules, r.Source));
    }

    [Fact]
    public void RemoteEndpoint_WithoutAllowRemote_IsRefusedInOneLine()
    {
        using var temp = new TempDirectory();

        var (code, _, error) = CliRunner.Run("structure-reports", "--manifest", WriteManifest(temp), "--out", temp.File("reports.jsonl"),
            "--llm", "http://192.0.2.7:8000/v1", "--llm-model", "m");

        Assert.Equal(1, code);
        Assert.Equal("merlin-adapt: --llm: 192.0.2.7 is not this machine; reports carry patient information, so sending them elsewhere needs --allow-remote",
            error.Trim());
        Assert.False(File.Exists(temp.File("reports.jsonl")));
    }

    [Theory]
    [InlineData("--llm-model", "m")]
    [InlineData("--llm", "http://127.0.0.1:1/v1")]
    public void LlmOptions_NeedEachOther(string option, string value)
    {
        using var temp = new TempDirectory();

        var (code, _, error) = CliRunner.Run("structure-reports", "--manifest", WriteManifest(temp), "--out", temp.File("r.jsonl"), option, value);

        Assert.Equal(1, code);
        Assert.Contains("--llm", error);
    }

    [Fact]
    public void MissingReportFile_IsAnInputError_NamingTheManifest()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("manifest.csv"), "patient_id,study_id,image,report\np1,a,a.nii.gz,reports/missing.txt\n");

        var (code, _, error) = CliRunner.Run("structure-reports", "--manifest", temp.File("manifest.csv"), "--out", temp.File("r.jsonl"));

        Assert.Equal(1, code);
        Assert.Contains("manifest.csv: line 2: report file reports/missing.txt not found", error);
    }
}
