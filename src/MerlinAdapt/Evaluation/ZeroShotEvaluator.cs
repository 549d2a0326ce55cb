using MerlinAdapt.Cohorts;
using MerlinAdapt.Model;
using MerlinAdapt.Model.Image;
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
        using var fused = new FusedI3ResNet(model.Image.Network);
        var embeddings = new List<Tensor>();
        var rows = new List<PredictionRow>();
        for (var start = 0; start < entries.Count; start += options.BatchSize)
        {
            cancel.ThrowIfCancellationRequested();
            var batch = entries.Skip(start).Take(options.BatchSize).ToList();
            using var scope = NewDisposeScope();
            using var volumes = VolumeTensor.Batch(batch.Select(scans.Get));
            using var features = fused.Forward(volumes);
            embeddings.Add(features.Contrastive.clone().DetachFromDisposeScope());
            var results = classifier.Classify(features.Contrastive);
            for (var i = 0; i < batch.Count; i++)
            {
                var r = results[i];
                rows.Add(new PredictionRow(batch[i].StudyId, batch[i].PatientId, batch[i].Label == promptSet.Positive ? 1 : 0,
                    r.Predicted == promptSet.Positive ? 1 : 0, r.Score, r.Similarities));
            }
            progress?.Report((rows.Count, entries.Count));
        }

        var metrics = MetricsReport.Compute(rows.Select(r => r.Label).ToList(), rows.Select(r => r.Prediction).ToList(),
            rows.Select(r => r.Score).ToList(), rows.Select(r => r.PatientId).ToList(), options.Resamples, options.Seed);
        if (options.Retrieval)
        {
            using var images = cat(embeddings, 0);
            using var reports = EncodeReports(manifest, entries);
            metrics = metrics with { Retrieval = Retrieval.RecallAtK(images, reports, 1, 5) };
        }
        foreach (var e in embeddings) e.Dispose();
        return new EvaluationResult(promptSet, split, rows, metrics);
    }

    private Tensor EncodeReports(Manifest manifest, IReadOnlyList<ManifestEntry> entries)
    {
        using var noGrad = no_grad();
        var parts = new List<Tensor>();
        foreach (var chunk in entries.Chunk(8))
        {
            var batch = tokenizer.EncodeBatch(chunk.Select(e => ReportText.Of(manifest, e)).ToList(), model.Config.Text!.MaxTokens, sanitize: true);
            using var ids = tensor(batch.Ids);
            using var mask = tensor(batch.AttentionMask);
            using var f = model.EncodeText(ids, mask);
            parts.Add(f.Normalized());
        }
        var all = cat(parts, 0);
        foreach (var p in parts) p.Dispose();
        return all;
    }
}
