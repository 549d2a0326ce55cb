namespace MerlinAdapt.Training;

/// <summary>One training example: a study's scan and its report views (the full report, and the anatomy-ordered one when available).</summary>
public sealed record TrainingPair(string StudyId, string PatientId, string Label, string Report, string? AnatomyReport);
