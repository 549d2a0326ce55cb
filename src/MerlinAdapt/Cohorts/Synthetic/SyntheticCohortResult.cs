namespace MerlinAdapt.Cohorts.Synthetic;

/// <summary>What <see cref="SyntheticCohortGenerator.Write"/> wrote.</summary>
public sealed record SyntheticCohortResult(string Directory, string ManifestPath, string TokenizerPath, IReadOnlyList<SyntheticStudy> Studies)
{
    /// <summary>phenotypes.csv: the generator's findings as EHR-style phenotype labels.</summary>
    public string PhenotypesPath { get; init; } = "";

    public int Patients => Studies.Select(s => s.PatientId).Distinct().Count();

    public int Positive => Studies.Count(s => s.Label == SyntheticStudy.Positive);
}
