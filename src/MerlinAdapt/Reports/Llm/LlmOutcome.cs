namespace MerlinAdapt.Reports.Llm;

/// <summary>The model's structuring of one report, or why there is none (a fixed phrase, never report text).</summary>
public sealed record LlmOutcome(LlmAnswer? Answer, string? Failure, bool FromCache)
{
    public static LlmOutcome Failed(string reason) => new(null, reason, false);
}
