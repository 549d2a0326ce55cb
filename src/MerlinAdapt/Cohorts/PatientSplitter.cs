namespace MerlinAdapt.Cohorts;

/// <summary>
/// Patient-level split stratified by label: a patient counts as positive if any of their scans is; positives and
/// negatives are each shuffled (seeded) and cut by the ratios, so no patient ever sits in two splits and each
/// split keeps the cohort's prevalence. Every scan takes its patient's split.
/// </summary>
public static class PatientSplitter
{
    public sealed record Summary(IReadOnlyDictionary<string, (int Patients, int Scans, int Positive)> Splits, int OverlappingPatients);

    public static IReadOnlyList<ManifestEntry> Split(IReadOnlyList<ManifestEntry> entries, double[] ratios, int seed, string positiveLabel, out Summary summary)
    {
        if (ratios.Length != 3 || ratios.Any(r => r < 0) || ratios.Sum() <= 0)
            throw new InputException("--ratios", $"needs three non-negative numbers (train,val,test), got {string.Join(",", ratios)}");
        var total = ratios.Sum();
        var normalized = ratios.Select(r => r / total).ToArray();
        var patients = entries.GroupBy(e => e.PatientId, StringComparer.Ordinal)
            .Select(g => (Id: g.Key, Positive: g.Any(e => string.Equals(e.Label, positiveLabel, StringComparison.Ordinal))))
            .OrderBy(p => p.Id, StringComparer.Ordinal)
            .ToList();
        var random = new Random(seed);
        var assignment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var stratum in new[] { patients.Where(p => p.Positive).ToList(), patients.Where(p => !p.Positive).ToList() })
        {
            var shuffled = stratum.OrderBy(_ => random.Next()).ToList();
            var trainCount = (int)Math.Round(shuffled.Count * normalized[0]);
            var valCount = (int)Math.Round(shuffled.Count * (normalized[0] + normalized[1])) - trainCount;
            for (var i = 0; i < shuffled.Count; i++)
                assignment[shuffled[i].Id] = i < trainCount ? "train" : i < trainCount + valCount ? "val" : "test";
        }
        var result = entries.Select(e => e with { Split = assignment[e.PatientId] }).ToList();
        var overlapping = result.GroupBy(e => e.PatientId).Count(g => g.Select(e => e.Split).Distinct().Count() > 1);
        if (overlapping > 0) throw new InvalidOperationException($"{overlapping} patients ended up in two splits");
        summary = new Summary(
            new[] { "train", "val", "test" }.ToDictionary(s => s, s =>
            {
                var rows = result.Where(e => e.Split == s).ToList();
                return (rows.Select(e => e.PatientId).Distinct().Count(), rows.Count, rows.Count(e => e.Label == positiveLabel));
            }),
            overlapping);
        return result;
    }
}
