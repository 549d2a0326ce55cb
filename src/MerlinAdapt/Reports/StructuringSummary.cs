namespace MerlinAdapt.Reports;

/// <summary>
/// What a `structure-reports` run produced: how many reports have each section and each organ system, how many the
/// LLM structured (and how many of those came from its cache), which fell back to the rules and why, and, where
/// both structurings exist, their token-level F1 agreement per section (<see cref="TokenF1"/>).
/// </summary>
public sealed record StructuringSummary
{
    public required int Total { get; init; }
    public required int EmptyReports { get; init; }

    /// <summary>Reports with a non-empty section: clinical_information, findings, impression.</summary>
    public required IReadOnlyDictionary<string, int> SectionsFound { get; init; }

    /// <summary>Reports with text for each organ system, in Merlin's order (systems no report mentions: 0).</summary>
    public required IReadOnlyDictionary<string, int> ReportsPerOrgan { get; init; }

    /// <summary>Reports with sentences of no organ system, kept under their section.</summary>
    public required int ReportsWithUnplacedText { get; init; }

    public required int ByRules { get; init; }
    public required int ByLlm { get; init; }
    public required int FromCache { get; init; }

    /// <summary>Reports the LLM was asked about but which the rules structured, by reason.</summary>
    public required IReadOnlyDictionary<string, int> Fallbacks { get; init; }

    /// <summary>Mean token F1, rules against LLM, per section (clinical_information, findings, impression, anatomy_text); empty without LLM answers.</summary>
    public required IReadOnlyDictionary<string, double> Agreement { get; init; }

    /// <summary>How many reports the agreement is the mean of.</summary>
    public required int AgreementReports { get; init; }

    public required TimeSpan Elapsed { get; init; }

    public int FallbackCount => Fallbacks.Values.Sum();
}
