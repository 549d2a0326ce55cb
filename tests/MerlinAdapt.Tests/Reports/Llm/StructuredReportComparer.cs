using MerlinAdapt.Reports;

namespace MerlinAdapt.Tests.Reports.Llm;

/// <summary>Compares structured reports by content (records compare dictionaries by reference).</summary>
public sealed class StructuredReportComparer : IEqualityComparer<StructuredReport>
{
    public static readonly StructuredReportComparer Instance = new();

    public bool Equals(StructuredReport? x, StructuredReport? y) =>
        x is not null && y is not null
        && x with { Organs = y.Organs, Unplaced = y.Unplaced } == y
        && x.Organs.OrderBy(o => o.Key).SequenceEqual(y.Organs.OrderBy(o => o.Key))
        && x.Unplaced.OrderBy(o => o.Key).SequenceEqual(y.Unplaced.OrderBy(o => o.Key));

    public int GetHashCode(StructuredReport obj) => obj.StudyId.GetHashCode();
}
