using Microsoft.Extensions.Logging;

namespace MerlinAdapt.Reports.Llm;

/// <summary>
/// Structures reports with a language model behind an OpenAI-compatible endpoint, in the paper's two steps
/// (Appendix B): sections first (<see cref="StructuringPrompts.Extraction"/>), then organ systems
/// (<see cref="StructuringPrompts.Decomposition"/>). Answers are validated, cached, and a report the model fails on
/// comes back as a failure for the caller to structure by rules. Logs name the study and the reason, never report text.
/// </summary>
/// <remarks>
/// When <see cref="LlmOptions.MaxConsecutiveFailures"/> reports in a row get no answer at all, the endpoint is taken to
/// be down and later reports fail at once (cached answers are still served): a stopped server should cost a run
/// seconds, not every report's retries.
/// </remarks>
public sealed class LlmReportStructurer
{
    private readonly LlmOptions _options;
    private readonly ChatEndpoint _endpoint;
    private readonly LlmCache? _cache;
    private readonly ILogger? _logger;
    private int _consecutiveFailures;

    public LlmReportStructurer(LlmOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Model)) throw new InputException("--llm-model", "a model name is needed with --llm");
        _options = options;
        _endpoint = new ChatEndpoint(options); // refuses a remote endpoint unless allowed
        _cache = options.CacheDirectory is null ? null : new LlmCache(options.CacheDirectory);
        _logger = logger;
    }

    public string PromptVersion => StructuringPrompts.Version;

    public async Task<LlmOutcome> StructureAsync(string studyId, string report, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var key = LlmCache.Key(report, _options.Model, StructuringPrompts.Version);
        if (_cache?.TryGet(key) is { } cached) return new LlmOutcome(cached, null, FromCache: true);
        if (Volatile.Read(ref _consecutiveFailures) >= Math.Max(1, _options.MaxConsecutiveFailures))
            return LlmOutcome.Failed($"not asked: the endpoint failed for {_options.MaxConsecutiveFailures} reports in a row");
        try
        {
            var sections = LlmAnswerParser.Sections(await _endpoint.CompleteAsync(StructuringPrompts.Extraction(report), cancel).ConfigureAwait(false));
            if (report.Trim().Length > 0 && sections.Findings.Length == 0 && sections.Impression.Length == 0)
                throw new LlmFailureException("the answer has neither findings nor impression", endpointFailed: false);
            var (findings, impression) = LlmAnswerParser.Anatomy(await _endpoint.CompleteAsync(StructuringPrompts.Decomposition(sections), cancel).ConfigureAwait(false));
            var answer = new LlmAnswer(sections, findings, impression);
            _cache?.Put(key, answer);
            Interlocked.Exchange(ref _consecutiveFailures, 0);
            return new LlmOutcome(answer, null, FromCache: false);
        }
        catch (LlmFailureException e)
        {
            if (e.EndpointFailed) Interlocked.Increment(ref _consecutiveFailures);
            else Interlocked.Exchange(ref _consecutiveFailures, 0);
            _logger?.LogWarning("study {StudyId}: the LLM gave no usable structure ({Reason}); using the rules", studyId, e.Message);
            return LlmOutcome.Failed(e.Message);
        }
    }
}
