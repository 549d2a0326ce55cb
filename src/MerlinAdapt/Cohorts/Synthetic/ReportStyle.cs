namespace MerlinAdapt.Cohorts.Synthetic;

/// <summary>How a hospital's radiologists write (<see cref="SyntheticReportWriter"/>).</summary>
public enum ReportStyle
{
    /// <summary>Mostly headed EXAMINATION / FINDINGS / IMPRESSION sections, organ-by-organ lines, British spelling.</summary>
    BritishHeaded,

    /// <summary>Mostly unheaded prose or a numbered conclusion, more abbreviations (s/p, LR-5, HCC), American spelling.</summary>
    AmericanTerse,
}
