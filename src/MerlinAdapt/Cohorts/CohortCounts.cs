namespace MerlinAdapt.Cohorts;

/// <summary>
/// How many scans and distinct patients a manifest holds per split × label (the "Data" table of a report). Splits run
/// train, val, test, then unassigned (""); labels in ordinal order, unlabelled ("") last.
/// </summary>
public sealed class CohortCounts
{
    private static readonly string[] SplitOrder = ["train", "val", "test", ""];
    private readonly IReadOnlyList<ManifestEntry> entries;

    public CohortCounts(IEnumerable<ManifestEntry> entries)
    {
        this.entries = entries.ToList();
        Splits = this.entries.Select(e => e.Split).Distinct()
            .OrderBy(s => Array.IndexOf(SplitOrder, s) is var i && i >= 0 ? i : SplitOrder.Length).ThenBy(s => s, StringComparer.Ordinal).ToList();
        Labels = this.entries.Select(e => e.Label).Distinct().OrderBy(l => l.Length == 0).ThenBy(l => l, StringComparer.Ordinal).ToList();
    }

    public static CohortCounts Of(Manifest manifest) => new(manifest.Entries);

    public IReadOnlyList<string> Splits { get; }

    public IReadOnlyList<string> Labels { get; }

    /// <summary>Scans and distinct patients of one split × label; a null split or label means all of them (the totals).</summary>
    public (int Scans, int Patients) Count(string? split, string? label)
    {
        var rows = entries.Where(e => (split is null || e.Split == split) && (label is null || e.Label == label)).ToList();
        return (rows.Count, rows.Select(e => e.PatientId).Distinct(StringComparer.Ordinal).Count());
    }
}
