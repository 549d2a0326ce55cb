namespace MerlinAdapt.Evaluation;

/// <summary>The metrics MerlinAdapt reports for a binary task, with scikit-learn's conventions (zero_division = 0).</summary>
public static class BinaryMetrics
{
    /// <summary>Metric names, in the order tables show them.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["f1", "precision", "recall", "specificity", "accuracy", "balanced_accuracy", "roc_auc"];

    /// <summary>
    /// A metric's value, or NaN where it is undefined on this sample: AUC, recall (sensitivity), specificity and
    /// balanced accuracy need both classes in the truth (fixtures/metrics/README.md, bootstrap procedure).
    /// </summary>
    public static double Compute(string metric, IReadOnlyList<int> truth, IReadOnlyList<int> predicted, IReadOnlyList<double> score, bool undefinedAsNaN)
    {
        var c = ConfusionCounts.Of(truth, predicted);
        var bothClasses = c.Positives > 0 && c.Negatives > 0;
        if (undefinedAsNaN && !bothClasses && metric is "roc_auc" or "recall" or "specificity" or "balanced_accuracy") return double.NaN;
        return metric switch
        {
            "f1" => c.F1,
            "precision" => c.Precision,
            "recall" => c.Recall,
            "specificity" => c.Specificity,
            "accuracy" => c.Accuracy,
            "balanced_accuracy" => c.BalancedAccuracy,
            "roc_auc" => RocCurve.Auc(truth, score),
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
        };
    }
}
