namespace MerlinAdapt.Cohorts.Synthetic;

/// <summary>How far <see cref="SyntheticCohortGenerator.Write"/> has got: scans written of the total.</summary>
public sealed record SyntheticCohortProgress(int Done, int Total);
