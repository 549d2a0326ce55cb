namespace MerlinAdapt.Evaluation;

/// <summary>Binary confusion counts (1 = the positive class) and the metrics defined on them, as scikit-learn computes them.</summary>
public readonly record struct ConfusionCounts(int TrueNegatives, int FalsePositives, int FalseNegatives, int TruePositives)
{
    public int Count => TrueNegatives + FalsePositives + FalseNegatives + TruePositives;
    public int Positives => TruePositives + FalseNegatives;
    public int Negatives => TrueNegatives + FalsePositives;

    public static ConfusionCounts Of(IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
    {
        int tn = 0, fp = 0, fn = 0, tp = 0;
        for (var i = 0; i < truth.Count; i++)
        {
            if (truth[i] == 1) { if (predicted[i] == 1) tp++; else fn++; }
            else if (predicted[i] == 1) fp++;
            else tn++;
        }
        return new ConfusionCounts(tn, fp, fn, tp);
    }

    // zero_division = 0, scikit-learn's default value (fixtures/metrics/README.md).
    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);
    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives);
    public double Specificity => Ratio(TrueNegatives, TrueNegatives + FalsePositives);
    public double NegativePredictiveValue => Ratio(TrueNegatives, TrueNegatives + FalseNegatives);
    public double Accuracy => Ratio(TruePositives + TrueNegatives, Count);

    /// <summary>scikit-learn's F-score: 2·P·R/(P + R), 0 where P + R = 0.</summary>
    public double F1
    {
        get
        {
            var (p, r) = (Precision, Recall);
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
    }

    /// <summary>Mean recall over the classes present in the truth (scikit-learn's balanced_accuracy_score).</summary>
    public double BalancedAccuracy =>
        (Positives, Negatives) switch
        {
            (> 0, > 0) => (Recall + Specificity) / 2,
            (> 0, 0) => Recall,
            (0, > 0) => Specificity,
            _ => 0,
        };

    public int[][] Matrix => [[TrueNegatives, FalsePositives], [FalseNegatives, TruePositives]];

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
