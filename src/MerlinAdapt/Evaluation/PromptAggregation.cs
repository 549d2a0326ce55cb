namespace MerlinAdapt.Evaluation;

/// <summary>How a class's several prompts become one score.</summary>
public enum PromptAggregation
{
    /// <summary>The paper's rule (and Merlin's maintainers'): cosine to each prompt, then the mean per class.</summary>
    MeanSimilarity,

    /// <summary>open_clip's rule: average the prompt embeddings, renormalise, then one cosine per class.</summary>
    MeanEmbedding,
}
