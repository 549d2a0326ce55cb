namespace MerlinAdapt.Evaluation;

/// <summary>The outcome of a zero-shot evaluation: one prediction per study, and the metrics with CIs.</summary>
public sealed record EvaluationResult(PromptSet Prompts, string Split, IReadOnlyList<PredictionRow> Predictions, MetricsReport Metrics);
