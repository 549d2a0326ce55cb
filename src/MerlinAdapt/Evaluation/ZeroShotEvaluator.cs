using MerlinAdapt.Cohorts;
using MerlinAdapt.Model;
using MerlinAdapt.Model.Tokenization;
using MerlinAdapt.Preprocessing;
using static TorchSharp.torch;

namespace MerlinAdapt.Evaluation;

/// <summary>
/// Zero-shot evaluation of a manifest split (paper §2.4.4, §3): image embeddings of every labelled study, prompt
/// embeddings, the <see cref="ZeroShotClassifier"/>, then metrics with patient-level bootstrap CIs, optionally
/// retrieval. Works on any labelled manifest — the external-dataset check of paper §3.5.
/// </summary>
public sealed class ZeroShotEvaluator(MerlinModel model, TextTokenizer tokenizer, PromptEncoder prompts, ScanSource scans)
{
    public EvaluationResult Evaluate(Manifest manifest, string split, PromptSet promptSet, EvaluationOptions options,
        IProgress<(int Done, int Total)>? progress = null, CancellationToken cancel = default)
    {
        if (!promptSet.IsBinary) throw new InputException("--prompts", $"prompt set {promptSet.Name} has {promptSet.Classes.Count} classes; metrics with CIs need two");
        var entries = manifest.Entries.Where(e => split == "all" || e.Split == split).ToList();
        if (entries.Count == 0)
            throw new InputException(manifest.Path, split == "all" ? "has no rows" : $"has no rows with split \"{split}\" (run `merlin-adapt split` first, or pass --split all)");
        var unknown = entries.Where(e => !promptSet.Classes.ContainsKey(e.Label)).ToList();
        if (unknown.Count > 0)
            throw new InputException(manifest.Path, $"line {unknown[0].Line}: label \"{unknown[0].Label}\" is not a class of prompt set {promptSet.Name} ({string.Join(", ", promptSet.ClassNames)})");

        var classifier = new ZeroShotClassifier(promptSet, prompts.Encode(promptSet), options.Aggregation);
        var extractor = new EmbeddingExtractor(model, tokenizer, scans);
        using var images = extractor.Images(entries, options.BatchSize, progress, cancel);
        var results = classifier.Classify(images);
        var rows = entries.Select((e, i) => new PredictionRow(e.StudyId, e.PatientId, e.Label == promptSet.Positive ? 1 : 0,
            results[i].Predicted == promptSet.Positive ? 1 : 0, results[i].Score, results[i].Similarities)).ToList();

        var metrics = MetricsReport.Compute(rows.Select(r => r.Label).ToList(), rows.Select(r => r.Prediction).ToList(),
            rows.Select(r => r.Score).ToList(), rows.Select(r => r.PatientId).ToList(), options.Resamples, options.Seed);
        if (options.Retrieval)
        {
            using var reports = extractor.Reports(manifest, entries);
            metrics = metrics with { Retrieval = Retrieval.RecallAtK(images, reports, 1, 5) };
        }
        return new EvaluationResult(promptSet, split, rows, metrics);
    }
}
