namespace MerlinAdapt.Reports;

/// <summary>Where a `structure-reports` run stands: reports done of the total, how many by the LLM, from its cache, fallen back.</summary>
public sealed record StructuringProgress(int Done, int Total, int Llm, int Cached, int Fallbacks);
