using MerlinAdapt.Evaluation;

namespace MerlinAdapt.Tests.Evaluation;

/// <summary>Point values equal scikit-learn's on every fixture case (zero_division = 0), ROC curves point for point.</summary>
public sealed class BinaryMetricsTests
{
    public static TheoryData<string> Cases => new(MetricsCase.Names);

    [Theory]
    [MemberData(nameof(Cases))]
    public void PointValues_EqualScikitLearn(string name)
    {
        var c = MetricsCase.Load(name);
        var m = c.Metrics;
        var counts = ConfusionCounts.Of(c.Truth, c.Predicted);

        Assert.Equal(m.GetProperty("confusion_matrix").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray(), counts.Matrix);
        foreach (var (key, actual) in new[]
                 {
                     ("precision", counts.Precision), ("recall", counts.Recall), ("f1", counts.F1),
                     ("specificity", counts.Specificity), ("npv", counts.NegativePredictiveValue),
                 })
            Assert.Equal(m.GetProperty(key).GetProperty("zero_division_0").GetDouble(), actual, 12);
        Assert.Equal(m.GetProperty("accuracy").GetDouble(), counts.Accuracy, 12);
        Assert.Equal(m.GetProperty("balanced_accuracy").GetDouble(), counts.BalancedAccuracy, 12);
        var auc = RocCurve.Auc(c.Truth, c.Score);
        if (m.GetProperty("roc_auc").ValueKind == System.Text.Json.JsonValueKind.Null) Assert.True(double.IsNaN(auc));
        else Assert.Equal(m.GetProperty("roc_auc").GetDouble(), auc, 12);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RocCurve_EqualsScikitLearn_WithAndWithoutDroppingIntermediatePoints(string name)
    {
        var c = MetricsCase.Load(name);
        foreach (var drop in new[] { true, false })
        {
            var expected = c.Metrics.GetProperty(drop ? "roc_curve_drop_intermediate_true" : "roc_curve_drop_intermediate_false");
            var roc = RocCurve.Of(c.Truth, c.Score, drop);
            AssertSeries(expected.GetProperty("fpr"), roc.FalsePositiveRate, $"{name} fpr drop={drop}");
            AssertSeries(expected.GetProperty("tpr"), roc.TruePositiveRate, $"{name} tpr drop={drop}");
            AssertSeries(expected.GetProperty("thresholds"), roc.Thresholds, $"{name} thresholds drop={drop}");
        }
    }

    private static void AssertSeries(System.Text.Json.JsonElement expected, double[] actual, string what)
    {
        var values = expected.EnumerateArray().Select(v => v.ValueKind == System.Text.Json.JsonValueKind.Null ? double.NaN : v.GetDouble()).ToArray();
        Assert.True(values.Length == actual.Length, $"{what}: {actual.Length} points, scikit-learn {values.Length}");
        for (var i = 0; i < values.Length; i++)
            Assert.True(double.IsNaN(values[i]) ? double.IsNaN(actual[i]) : Math.Abs(values[i] - actual[i]) <= 1e-12, $"{what}[{i}]: {actual[i]} vs {values[i]}");
    }
}
