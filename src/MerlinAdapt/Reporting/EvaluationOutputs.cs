using MerlinAdapt.Evaluation;

namespace MerlinAdapt.Reporting;

/// <summary>What `evaluate` and `metrics` write into their folder: predictions.csv, metrics.json, metrics.md, roc.png, confusion.png.</summary>
public static class EvaluationOutputs
{
    public static void Write(string directory, string name, MetricsReport metrics, string negative, string positive,
        IReadOnlyList<PredictionRow>? predictions = null, IReadOnlyList<string>? classes = null)
    {
        Directory.CreateDirectory(directory);
        if (predictions is not null) PredictionsFile.Write(Path.Combine(directory, "predictions.csv"), predictions, classes ?? []);
        AtomicFile.WriteAllText(Path.Combine(directory, "metrics.json"), metrics.ToJson());
        var table = MetricsTable.Markdown([(name, metrics)]) +
                    $"\n{metrics.N} scans of {metrics.NPatients} patients; 95 % CIs from {metrics.Resamples} patient-level bootstrap resamples (seed {metrics.Seed}).\n";
        if (metrics.Retrieval is { } retrieval)
            table += "\n| retrieval | Recall@1 | Recall@5 |\n| --- | --- | --- |\n" +
                     $"| image → report | {retrieval["image_to_text_recall_at_1"]:0.000} | {retrieval["image_to_text_recall_at_5"]:0.000} |\n" +
                     $"| report → image | {retrieval["text_to_image_recall_at_1"]:0.000} | {retrieval["text_to_image_recall_at_5"]:0.000} |\n";
        AtomicFile.WriteAllText(Path.Combine(directory, "metrics.md"), table);
        RocPlot.Save(Path.Combine(directory, "roc.png"), metrics, $"{name}: {positive} vs {negative}");
        ConfusionPlot.Save(Path.Combine(directory, "confusion.png"), metrics.ConfusionMatrix, negative, positive, name);
    }
}
