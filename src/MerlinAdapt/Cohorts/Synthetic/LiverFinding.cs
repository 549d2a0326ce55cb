namespace MerlinAdapt.Cohorts.Synthetic;

/// <summary>What a focal liver lesion is; only <see cref="Hcc"/> makes a scan positive.</summary>
public enum LiverFindingKind
{
    /// <summary>Hepatocellular carcinoma: hypodense to liver in the portal-venous phase (wash-out), often with a capsule rim.</summary>
    Hcc,

    /// <summary>Simple cyst: water attenuation (0–15 HU), sharp margin.</summary>
    Cyst,

    /// <summary>Haemangioma: enhances like blood pool, so hyperdense to liver in the portal-venous phase.</summary>
    Haemangioma,
}

/// <summary>
/// A focal liver lesion as generated: centre (RAS+ mm from the body centre), radius, attenuation, Couinaud segment,
/// and for HCC a capsule rim and prior TACE (a dense lipiodol deposit in the tumour).
/// </summary>
public sealed record LiverFinding(
    LiverFindingKind Kind, double X, double Y, double Z, double RadiusMm, double Hu, int Segment,
    bool Capsule = false, bool Treated = false)
{
    /// <summary>Largest diameter in cm, as a report gives it (one decimal).</summary>
    public double DiameterCm => Math.Round(2 * RadiusMm / 10.0, 1);
}
