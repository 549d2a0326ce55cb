using System.Text.Json;
using System.Text.Json.Serialization;

namespace MerlinAdapt.Evaluation;

/// <summary>metrics.json (design.md, Formats): point values with 95 % CIs, the confusion matrix, ROC points, and how many resamples each metric had to skip.</summary>
public sealed record MetricsReport
{
    public required int N { get; init; }
    public required int NPatients { get; init; }
    public required int Resamples { get; init; }
    public required int Seed { get; init; }
    public required Dictionary<string, MetricValue> Metrics { get; init; }
    public required int[][] ConfusionMatrix { get; init; }
    public required Dictionary<string, int> UndefinedResamples { get; init; }
    public required RocPoints Roc { get; init; }
    public Dictionary<string, double>? Retrieval { get; init; }

    public static MetricsReport Compute(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, IReadOnlyList<double> score,
        IReadOnlyList<string> patients, int resamples = 1000, int seed = 42)
    {
        var intervals = BootstrapCi.Compute(truth, predicted, score, patients, resamples, seed);
        var metrics = BinaryMetrics.Names.ToDictionary(m => m, m =>
        {
            var value = BinaryMetrics.Compute(m, truth, predicted, score, undefinedAsNaN: m == "roc_auc");
            var ci = intervals[m];
            return new MetricValue(Finite(value), [Finite(ci.Lower), Finite(ci.Upper)]);
        });
        var roc = RocCurve.Of(truth, score);
        return new MetricsReport
        {
            N = truth.Count,
            NPatients = patients.Distinct().Count(),
            Resamples = resamples,
            Seed = seed,
            Metrics = metrics,
            ConfusionMatrix = ConfusionCounts.Of(truth, predicted).Matrix,
            UndefinedResamples = intervals.Where(kv => kv.Value.Undefined > 0).ToDictionary(kv => kv.Key, kv => kv.Value.Undefined),
            Roc = new RocPoints(roc.FalsePositiveRate.Select(Finite).ToArray(), roc.TruePositiveRate.Select(Finite).ToArray(), roc.Thresholds),
        };
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json.Options);

    /// <summary>NaN (undefined) is written as null: JSON has no NaN.</summary>
    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}

public sealed record MetricValue(double? Value, double?[] Ci95);

public sealed record RocPoints(double?[] Fpr, double?[] Tpr, double[] Thresholds);
