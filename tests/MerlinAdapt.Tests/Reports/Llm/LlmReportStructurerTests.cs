using System.Text.Json.Nodes;
using MerlinAdapt.Reports;
using MerlinAdapt.Reports.Llm;

namespace MerlinAdapt.Tests.Reports.Llm;

public sealed class LlmReportStructurerTests
{
    private const string Report = "HISTORY: Cirrhosis.\nFINDINGS: The liver is nodular. No ascites. Zebra-striped sentinel phrase.\nIMPRESSION: 1. No HCC.";

    /// <summary>A well-behaved model: valid JSON for both steps, with the harmless quirks real ones have.</summary>
    public static FakeChatServer.Reply GoodModel(JsonObject request, int number) => FakeChatServer.Step(request) == "sections"
        ? new(200, """<think>The report has three sections.</think>{"clinical_information": "Cirrhosis.", "findings": "The liver is nodular. No ascites. Zebra-striped sentinel phrase.", "impression": "1. No HCC."}""")
        : new(200, """
                   ```json
                   {"findings": {"Liver and biliary tree": "The liver is nodular.", "peritoneum": "No ascites.", "other": "Zebra-striped sentinel phrase."},
                    "impression": {"liver": ["No HCC."]}}
                   ```
                   """);

    private static LlmOptions Options(Uri endpoint, string? cache = null) => new()
    {
        Endpoint = endpoint,
        Model = "qwen3-8b",
        Timeout = TimeSpan.FromMilliseconds(400),
        MaxAttempts = 2,
        RetryDelay = TimeSpan.Zero,
        CacheDirectory = cache,
    };

    [Fact]
    public async Task GoodAnswers_BecomeTheStructuredReport()
    {
        using var server = new FakeChatServer(GoodModel);

        var outcome = await new LlmReportStructurer(Options(server.Endpoint)).StructureAsync("s1", Report, TestContext.Current.CancellationToken);

        Assert.Null(outcome.Failure);
        var report = outcome.Answer!.ToReport("s1");
        Assert.Equal(ReportSource.Llm, report.Source);
        Assert.Equal(("Cirrhosis.", "No HCC."), (report.ClinicalInformation, report.Impression));
        Assert.Equal("The liver is nodular. No HCC.", report.Organs["liver"]);
        Assert.Equal("No ascites.", report.Organs["peritoneum"]);
        Assert.Equal("Liver and biliary tree: The liver is nodular. No HCC. Peritoneal cavity: No ascites. Findings: Zebra-striped sentinel phrase.", report.AnatomyText);
    }

    [Fact]
    public async Task Requests_AreOneShotJsonModeChatCompletions_AtTemperatureZero()
    {
        using var server = new FakeChatServer(GoodModel);

        await new LlmReportStructurer(Options(server.Endpoint)).StructureAsync("s1", Report, TestContext.Current.CancellationToken);

        Assert.Equal(["sections", "organs"], server.Requests.Select(FakeChatServer.Step));
        foreach (var request in server.Requests)
        {
            Assert.Equal("/v1/chat/completions", request["path"]!.ToString());
            Assert.Equal("qwen3-8b", request["model"]!.ToString());
            Assert.Equal(0.0, request["temperature"]!.GetValue<double>());
            Assert.Equal("json_object", request["response_format"]!["type"]!.ToString());
            Assert.Equal(["system", "user", "assistant", "user"], request["messages"]!.AsArray().Select(m => m!["role"]!.ToString()));
        }
        Assert.Equal(Report, FakeChatServer.Question(server.Requests[0]));
        Assert.Equal("Findings: The liver is nodular. No ascites. Zebra-striped sentinel phrase.\n\nImpression: No HCC.", FakeChatServer.Question(server.Requests[1]));
    }

    [Theory]
    [InlineData("Sure! The liver is nodular and there is no ascites.", "the answer holds no JSON object")]
    [InlineData("""{"clinical_information": "x", "findings": "y", """, "the answer holds no JSON object")]
    [InlineData("""{"clinical_information": "x", "findings": "y" "impression": "z"}""", "the answer is not valid JSON")]
    [InlineData("""{"clinical_information": "x", "findings": "y"}""", "the sections answer lacks the key \"impression\"")]
    [InlineData("""{"clinical_information": "x", "findings": "y", "impression": "z", "Zebra-striped": "w"}""", "the sections answer has an unexpected key")]
    [InlineData("""{"clinical_information": "x", "findings": 3, "impression": "z"}""", "the sections answer's \"findings\" is not text")]
    [InlineData("""{"clinical_information": "", "findings": "", "impression": ""}""", "the answer has neither findings nor impression")]
    public async Task MalformedSectionsAnswer_IsAFailure_WithoutRetry(string answer, string reason)
    {
        using var server = new FakeChatServer((_, _) => new(200, answer));

        var outcome = await new LlmReportStructurer(Options(server.Endpoint)).StructureAsync("s1", Report, TestContext.Current.CancellationToken);

        Assert.Null(outcome.Answer);
        Assert.Equal(reason, outcome.Failure);
        Assert.Single(server.Requests); // temperature 0: asking again would give the same answer
    }

    [Theory]
    [InlineData("""{"findings": {"liver": "a"}}""", "the organ answer lacks the key \"impression\"")]
    [InlineData("""{"findings": {"brain": "a"}, "impression": {}}""", "the organ answer's \"findings\" has an unexpected key")]
    [InlineData("""{"findings": ["a"], "impression": {}}""", "the organ answer's \"findings\" is not an object")]
    public async Task MalformedOrganAnswer_IsAFailure(string answer, string reason)
    {
        using var server = new FakeChatServer((request, n) => FakeChatServer.Step(request) == "sections" ? GoodModel(request, n) : new(200, answer));

        var outcome = await new LlmReportStructurer(Options(server.Endpoint)).StructureAsync("s1", Report, TestContext.Current.CancellationToken);

        Assert.Equal(reason, outcome.Failure);
    }

    [Fact]
    public async Task SlowAnswer_TimesOut_IsRetried_ThenFails()
    {
        using var server = new FakeChatServer((_, _) => FakeChatServer.Hang);

        var outcome = await new LlmReportStructurer(Options(server.Endpoint)).StructureAsync("s1", Report, TestContext.Current.CancellationToken);

        Assert.Equal("timed out after 0.4 s (2 attempts)", outcome.Failure);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task RefusedConnection_IsRetried_ThenFails()
    {
        var endpoint = new Uri($"http://127.0.0.1:{FakeChatServer.ClosedPort()}/v1");

        var outcome = await new LlmReportStructurer(Options(endpoint)).StructureAsync("s1", Report, TestContext.Current.CancellationToken);

        Assert.Equal("could not connect (connection refused) (2 attempts)", outcome.Failure);
    }

    [Fact]
    public async Task BusyServer_IsRetried_AndTheRetrySucceeds()
    {
        using var server = new FakeChatServer((request, number) => number == 1 ? new(503, "") : GoodModel(request, number));

        var outcome = await new LlmReportStructurer(Options(server.Endpoint)).StructureAsync("s1", Report, TestContext.Current.CancellationToken);

        Assert.Null(outcome.Failure);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task ClientError_IsNotRetried()
    {
        using var server = new FakeChatServer((_, _) => new(404, ""));

        var outcome = await new LlmReportStructurer(Options(server.Endpoint)).StructureAsync("s1", Report, TestContext.Current.CancellationToken);

        Assert.Equal("the endpoint answered HTTP 404", outcome.Failure);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task AfterConsecutiveEndpointFailures_LaterReportsAreNotSent()
    {
        using var server = new FakeChatServer((_, _) => new(500, ""));
        var structurer = new LlmReportStructurer(Options(server.Endpoint) with { MaxAttempts = 1, MaxConsecutiveFailures = 2 });

        var failures = new List<string?>();
        for (var i = 0; i < 4; i++) failures.Add((await structurer.StructureAsync($"s{i}", Report + i, TestContext.Current.CancellationToken)).Failure);

        Assert.Equal(2, server.Requests.Count);
        Assert.Equal("the endpoint answered HTTP 500", failures[1]);
        Assert.Equal("not asked: the endpoint failed for 2 reports in a row", failures[3]);
    }

    [Fact]
    public async Task Answers_AreCached_ByReportModelAndPromptVersion()
    {
        using var temp = new TempDirectory();
        using var server = new FakeChatServer(GoodModel);
        var options = Options(server.Endpoint, temp.File("cache"));

        var first = await new LlmReportStructurer(options).StructureAsync("s1", Report, TestContext.Current.CancellationToken);
        var second = await new LlmReportStructurer(options).StructureAsync("s1", Report, TestContext.Current.CancellationToken);
        await new LlmReportStructurer(options with { Model = "other-model" }).StructureAsync("s1", Report, TestContext.Current.CancellationToken);

        Assert.False(first.FromCache);
        Assert.True(second.FromCache);
        Assert.Equal(first.Answer!.ToReport("s1"), second.Answer!.ToReport("s1"), StructuredReportComparer.Instance);
        Assert.Equal(4, server.Requests.Count); // the first report twice (two steps), the other model twice; the rerun none
        Assert.NotEqual(LlmCache.Key(Report, "a", StructuringPrompts.Version), LlmCache.Key(Report, "b", StructuringPrompts.Version));
        Assert.NotEqual(LlmCache.Key(Report, "a", "v1"), LlmCache.Key(Report, "a", "v2"));
    }

    [Fact]
    public async Task Logs_NameTheStudyAndReason_NeverTheReportText()
    {
        using var server = new FakeChatServer((_, _) => new(200, """{"clinical_information": "Zebra-striped sentinel phrase", "findings": "y"}"""));
        var logger = new RecordingLogger();

        await new LlmReportStructurer(Options(server.Endpoint), logger).StructureAsync("study-42", Report, TestContext.Current.CancellationToken);

        var message = Assert.Single(logger.Messages);
        Assert.Contains("study-42", message);
        Assert.Contains("lacks the key", message);
        Assert.DoesNotContain("Zebra", message);
    }

    [Fact]
    public void RemoteEndpoint_IsRefused_UnlessAllowed()
    {
        // Constructing sends nothing, so no traffic leaves the machine either way.
        var remote = new Uri("http://203.0.113.5:8000/v1");

        var refused = Assert.Throws<InputException>(() => new LlmReportStructurer(Options(remote)));
        _ = new LlmReportStructurer(Options(remote) with { AllowRemote = true });

        Assert.Contains("--allow-remote", refused.Message);
        Assert.Contains("203.0.113.5", refused.Message);
    }
}
