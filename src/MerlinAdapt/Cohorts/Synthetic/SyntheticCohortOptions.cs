namespace MerlinAdapt.Cohorts.Synthetic;

/// <summary>What <see cref="SyntheticCohortGenerator"/> makes: which hospital, how many patients, the seed and the grid.</summary>
public sealed record SyntheticCohortOptions
{
    public HospitalProfile Hospital { get; init; } = HospitalProfile.A;

    public int Patients { get; init; } = 100;

    public int Seed { get; init; } = 1;

    /// <summary>
    /// Voxels per scan (in-plane, in-plane, slices). Small by default so that a demo can prepare and train on several
    /// hundred scans on a CPU; at 6 mm voxels this still covers the abdomen from the liver dome to the kidneys.
    /// </summary>
    public int[] Size { get; init; } = [64, 56, 32];

    /// <summary>Fraction of patients with HCC; balanced by default so that a few hundred scans give enough of each class.</summary>
    public double Prevalence { get; init; } = 0.5;

    /// <summary>Fraction of patients with a second (follow-up) scan.</summary>
    public double FollowUpFraction { get; init; } = 0.25;
}
