namespace MerlinAdapt.Cohorts.Synthetic;

/// <summary>
/// One generated scan and everything known about it: who, which hospital, the label (from the generator, never from
/// the report), the liver background and lesions, the scan spec that draws it and the report written from it.
/// </summary>
public sealed record SyntheticStudy
{
    public required string PatientId { get; init; }
    public required string StudyId { get; init; }

    /// <summary>1 for the first scan of a patient, 2 for a follow-up.</summary>
    public required int ScanNumber { get; init; }

    public required HospitalProfile Hospital { get; init; }

    /// <summary>"HCC" or "negative" (the built-in hcc prompt set's class names).</summary>
    public required string Label { get; init; }

    public required LiverBackground Background { get; init; }
    public required IReadOnlyList<LiverFinding> Findings { get; init; }

    /// <summary>Where the liver is (lesions lie wholly inside it).</summary>
    public required SyntheticLiver Liver { get; init; }
    public required SyntheticScanSpec Scan { get; init; }
    public required string Report { get; init; }

    /// <summary>The liver's parenchymal attenuation in this scan, HU (before noise).</summary>
    public required double LiverHu { get; init; }

    public const string Positive = "HCC";
    public const string Negative = "negative";
}
