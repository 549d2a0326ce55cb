namespace MerlinAdapt.Cohorts.Synthetic;

/// <summary>
/// How one hospital's scanners, protocols and radiologists make its CTs and reports differ — the domain shift between
/// the pretraining and the target cohort (issue 9): image noise, voxel size (slice thickness and field of view),
/// contrast timing, the stored axis convention and the report style.
/// </summary>
public sealed record HospitalProfile
{
    public required string Name { get; init; }

    /// <summary>Standard deviation of the image noise in HU (portal-venous abdominal CT: about 10–20 HU).</summary>
    public required double NoiseHu { get; init; }

    /// <summary>In-plane pixel size in mm; with the grid it sets the field of view.</summary>
    public required double PixelMm { get; init; }

    /// <summary>Slice thickness (= slice spacing) in mm.</summary>
    public required double SliceMm { get; init; }

    /// <summary>HU added to liver and spleen: a later or earlier portal-venous acquisition enhances them differently.</summary>
    public required double LiverEnhancementHu { get; init; }

    /// <summary>HU added to the aorta, portal and hepatic veins and IVC (contrast timing and dose).</summary>
    public required double VesselEnhancementHu { get; init; }

    /// <summary>Fraction of scans stored LPS (as DICOM converters write); the rest are RAS.</summary>
    public required double LpsFraction { get; init; }

    /// <summary>The house report style.</summary>
    public required ReportStyle Reports { get; init; }

    /// <summary>
    /// Fraction of reports written in the other style (visiting radiologists, outside reads). Hospital A's share is
    /// what gives the pretrained text tower B's abbreviations, as Merlin's large corpus gives Clinical-Longformer
    /// most wordings: a text tower that first meets "c/w" or "LR-5" during adaptation moved its zero-shot decision more
    /// while learning them (measured, README).
    /// </summary>
    public double OtherStyleFraction { get; init; }

    /// <summary>
    /// Hospital A, the pretraining cohort: quiet thin-ish slices, a tight field of view, LPS files, mostly headed British
    /// reports (a fifth in the terse American style).
    /// </summary>
    public static HospitalProfile A { get; } = new()
    {
        Name = "A",
        NoiseHu = 10,
        PixelMm = 6.0,
        SliceMm = 6.0,
        LiverEnhancementHu = 0,
        VesselEnhancementHu = 0,
        LpsFraction = 1.0,
        Reports = ReportStyle.BritishHeaded,
        OtherStyleFraction = 0.2,
    };

    /// <summary>
    /// Hospital B, the target: a lower iodine dose given faster (liver parenchyma 30 HU darker, brighter vessels — the
    /// shift that most misleads a model pretrained on A: its zero-shot scores fall below the decision boundary),
    /// noisier scans, thicker slices, a wider field of view, mostly RAS files, terse American reports.
    /// </summary>
    public static HospitalProfile B { get; } = new()
    {
        Name = "B",
        NoiseHu = 14,
        PixelMm = 6.8,
        SliceMm = 7.0,
        LiverEnhancementHu = -30,
        VesselEnhancementHu = 35,
        LpsFraction = 0.3,
        Reports = ReportStyle.AmericanTerse,
    };

    /// <summary>The profile named A or B (case-insensitive).</summary>
    /// <exception cref="InputException">Any other name.</exception>
    public static HospitalProfile Named(string name) => name.Trim().ToUpperInvariant() switch
    {
        "A" => A,
        "B" => B,
        _ => throw new InputException("--hospital", $"\"{name}\" is not a synthetic hospital (A or B)"),
    };
}
