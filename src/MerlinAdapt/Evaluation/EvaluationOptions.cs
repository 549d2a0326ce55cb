namespace MerlinAdapt.Evaluation;

/// <summary>Settings of a zero-shot evaluation; defaults are the paper's (1000 resamples) with a fixed seed.</summary>
public sealed record EvaluationOptions
{
    public PromptAggregation Aggregation { get; init; } = PromptAggregation.MeanSimilarity;

    /// <summary>Bootstrap resamples for the 95 % CIs (the paper's code: 1000).</summary>
    public int Resamples { get; init; } = 1000;

    public int Seed { get; init; } = 42;

    /// <summary>Volumes per image-encoder pass.</summary>
    public int BatchSize { get; init; } = 2;

    /// <summary>Also compute image↔report retrieval Recall@1/@5 on the split.</summary>
    public bool Retrieval { get; init; }
}
