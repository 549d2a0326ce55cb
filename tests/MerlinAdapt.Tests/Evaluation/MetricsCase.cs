using System.Text.Json;

namespace MerlinAdapt.Tests.Evaluation;

/// <summary>One case of fixtures/metrics/cases.json (scikit-learn 1.2.1 values).</summary>
internal sealed record MetricsCase(string Name, int[] Truth, double[] Score, int[] Predicted, string[] Patients, JsonElement Json)
{
    public static MetricsCase Load(string name)
    {
        var all = Fixtures.Json("metrics/cases.json").GetProperty("cases");
        var c = all.EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        return new MetricsCase(name,
            c.GetProperty("y_true").EnumerateArray().Select(v => v.GetInt32()).ToArray(),
            c.GetProperty("score").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
            c.GetProperty("y_pred").EnumerateArray().Select(v => v.GetInt32()).ToArray(),
            c.GetProperty("patient_id").EnumerateArray().Select(v => v.ToString()).ToArray(),
            c);
    }

    public JsonElement Metrics => Json.GetProperty("metrics");

    public static IEnumerable<string> Names => ["m01_balanced", "m02_imbalanced", "m03_ties", "m04_perfect", "m05_inverted", "m06_constant", "m07_zero_shot_rule", "m08_patients", "m09_single_class"];
}
