namespace MerlinAdapt.Reports;

/// <summary>What a section header of a free-text report introduces.</summary>
internal enum SectionKind
{
    ClinicalInformation,
    Technique,
    Comparison,
    Findings,
    Impression,

    /// <summary>Signature and dictation lines: left out, since they name people rather than describe the scan.</summary>
    Signature,
}
