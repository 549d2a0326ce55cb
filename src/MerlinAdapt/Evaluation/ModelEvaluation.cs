using MerlinAdapt.Adaptation;
using MerlinAdapt.Cohorts;
using MerlinAdapt.Model;
using MerlinAdapt.Preprocessing;
using Microsoft.Extensions.Logging;

namespace MerlinAdapt.Evaluation;

/// <summary>
/// Zero-shot evaluation of a saved model (a model folder, optionally with an adapter trained on it) on one split of a
/// manifest: what `evaluate`, `sweep`, `ablate` and `demo` all run.
/// </summary>
public static class ModelEvaluation
{
    public static EvaluationResult Run(string modelDirectory, string? adapterDirectory, Manifest cohort, string split, PromptSet prompts,
        ScanCache? cache, EvaluationOptions options, ILogger? logger = null, IProgress<(int Done, int Total)>? progress = null,
        CancellationToken cancel = default)
    {
        var (merlin, modelKey) = AdapterFolder.LoadForInference(modelDirectory, adapterDirectory);
        using (merlin)
        {
            using var tokenizer = ModelFolder.LoadTokenizer(modelDirectory);
            var encoder = new PromptEncoder(merlin, tokenizer, modelKey);
            var scans = new ScanSource(cohort, cache, logger: logger);
            return new ZeroShotEvaluator(merlin, tokenizer, encoder, scans).Evaluate(cohort, split, prompts, options, progress, cancel);
        }
    }
}
