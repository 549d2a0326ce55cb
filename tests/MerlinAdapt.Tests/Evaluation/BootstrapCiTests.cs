using MerlinAdapt.Evaluation;

namespace MerlinAdapt.Tests.Evaluation;

/// <summary>
/// One run of B = 10,000 lands within the fixture's suggested tolerance (4 Monte-Carlo SE) of the B → ∞ interval,
/// at the scan level and at the patient level, where the cluster resampling must widen m08's intervals.
/// </summary>
public sealed class BootstrapCiTests
{
    private static readonly Dictionary<string, string> FixtureNames = new()
    {
        ["roc_auc"] = "roc_auc", ["f1"] = "f1", ["recall"] = "sensitivity", ["specificity"] = "specificity",
        ["precision"] = "precision", ["accuracy"] = "accuracy", ["balanced_accuracy"] = "balanced_accuracy",
    };

    [Theory]
    [InlineData("m07_zero_shot_rule", "sample_level")]
    [InlineData("m07_zero_shot_rule", "patient_level")]
    [InlineData("m08_patients", "sample_level")]
    [InlineData("m08_patients", "patient_level")]
    public void Intervals_MatchTheReferenceWithinTolerance(string name, string level)
    {
        var c = MetricsCase.Load(name);
        var patients = level == "patient_level" ? c.Patients : c.Patients.Select((_, i) => i.ToString()).ToArray();

        var intervals = BootstrapCi.Compute(c.Truth, c.Predicted, c.Score, patients, resamples: 10_000, seed: 7);

        var reference = c.Json.GetProperty("bootstrap").GetProperty(level);
        foreach (var (ours, theirs) in FixtureNames)
        {
            var r = reference.GetProperty(theirs);
            var ci = r.GetProperty("ci95_reference").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var tolerance = r.GetProperty("suggested_tolerance").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.True(Math.Abs(intervals[ours].Lower - ci[0]) <= tolerance[0], $"{name} {level} {ours} lower {intervals[ours].Lower} vs {ci[0]} ± {tolerance[0]}");
            Assert.True(Math.Abs(intervals[ours].Upper - ci[1]) <= tolerance[1], $"{name} {level} {ours} upper {intervals[ours].Upper} vs {ci[1]} ± {tolerance[1]}");
            Assert.Equal(0, intervals[ours].Undefined);
        }
    }

    [Fact]
    public void ResamplesWithOneClass_AreSkippedAndCounted()
    {
        int[] truth = [1, 0, 0, 0, 0, 0];
        int[] predicted = [1, 0, 1, 0, 0, 0];
        double[] score = [0.9, 0.1, 0.8, 0.2, 0.3, 0.1];
        string[] patients = ["a", "b", "c", "d", "e", "f"];

        var intervals = BootstrapCi.Compute(truth, predicted, score, patients, resamples: 2000, seed: 1);

        // P(patient a missing from a resample) = (5/6)^6 ≈ 0.335: those resamples have no positive.
        Assert.InRange(intervals["roc_auc"].Undefined, 600, 740);
        Assert.Equal(intervals["roc_auc"].Undefined, intervals["recall"].Undefined);
        Assert.Equal(0, intervals["f1"].Undefined);
        Assert.Equal(0, intervals["specificity"].Undefined < 2000 ? 0 : 1);
    }

    [Fact]
    public void SameSeed_SameIntervals()
    {
        var c = MetricsCase.Load("m01_balanced");
        var a = BootstrapCi.Compute(c.Truth, c.Predicted, c.Score, c.Patients, 500, seed: 3);
        var b = BootstrapCi.Compute(c.Truth, c.Predicted, c.Score, c.Patients, 500, seed: 3);
        Assert.Equal(a["f1"], b["f1"]);
    }

    [Fact]
    public void Percentile_IsNumpysLinearInterpolation()
    {
        double[] sorted = [1, 2, 3, 4];
        Assert.Equal(1.075, BootstrapCi.Percentile(sorted, 2.5), 12); // position 0.075
        Assert.Equal(3.925, BootstrapCi.Percentile(sorted, 97.5), 12);
    }
}
