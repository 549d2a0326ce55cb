namespace MerlinAdapt.Training;

/// <summary>
/// One training example: a study's scan and its report views (the full report; with reports.jsonl, the
/// anatomy-ordered one and each organ system's section as "Header: text", in Merlin's order).
/// </summary>
public sealed record TrainingPair(string StudyId, string PatientId, string Label, string Report, string? AnatomyReport,
    IReadOnlyList<string>? Sections = null);
