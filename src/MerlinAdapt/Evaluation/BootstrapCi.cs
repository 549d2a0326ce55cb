namespace MerlinAdapt.Evaluation;

/// <summary>
/// 95 % percentile-bootstrap confidence intervals that resample patients, not scans (a cluster bootstrap: each drawn
/// patient brings all of their scans, as often as drawn), seeded. A resample on which a metric is undefined (one
/// class only) is skipped for that metric and counted. Percentiles as numpy's default (linear, type 7).
/// The paper's code gave a CI for F1 only and resampled scans; with one scan per patient the two coincide.
/// </summary>
public static class BootstrapCi
{
    public sealed record Interval(double Lower, double Upper, int Undefined, double Mean, double StandardError);

    public static IReadOnlyDictionary<string, Interval> Compute(
        IReadOnlyList<int> truth, IReadOnlyList<int> predicted, IReadOnlyList<double> score, IReadOnlyList<string> patients,
        int resamples = 1000, int seed = 42, IReadOnlyList<string>? metrics = null)
    {
        metrics ??= BinaryMetrics.Names;
        var groups = patients.Select((p, i) => (p, i)).GroupBy(x => x.p, StringComparer.Ordinal).Select(g => g.Select(x => x.i).ToArray()).ToArray();
        var random = new Random(seed);
        var values = metrics.ToDictionary(m => m, _ => new List<double>(resamples));
        var undefined = metrics.ToDictionary(m => m, _ => 0);
        var t = new List<int>();
        var p = new List<int>();
        var s = new List<double>();
        for (var r = 0; r < resamples; r++)
        {
            t.Clear(); p.Clear(); s.Clear();
            for (var k = 0; k < groups.Length; k++)
                foreach (var i in groups[random.Next(groups.Length)])
                {
                    t.Add(truth[i]);
                    p.Add(predicted[i]);
                    s.Add(score[i]);
                }
            foreach (var m in metrics)
            {
                var v = BinaryMetrics.Compute(m, t, p, s, undefinedAsNaN: true);
                if (double.IsNaN(v)) undefined[m]++;
                else values[m].Add(v);
            }
        }
        return metrics.ToDictionary(m => m, m =>
        {
            var sorted = values[m].Order().ToArray();
            if (sorted.Length == 0) return new Interval(double.NaN, double.NaN, undefined[m], double.NaN, double.NaN);
            var mean = sorted.Average();
            var sd = sorted.Length > 1 ? Math.Sqrt(sorted.Sum(v => (v - mean) * (v - mean)) / (sorted.Length - 1)) : 0;
            return new Interval(Percentile(sorted, 2.5), Percentile(sorted, 97.5), undefined[m], mean, sd);
        });
    }

    /// <summary>numpy.percentile with linear interpolation: position (N − 1)·q/100 in the sorted values.</summary>
    public static double Percentile(double[] sorted, double q)
    {
        var position = (sorted.Length - 1) * q / 100;
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
    }
}
