namespace MerlinAdapt.Cohorts.Synthetic;

/// <summary>A focal lesion (RAS+ mm from the body centre, radius in mm, attenuation in HU).</summary>
public sealed record SyntheticLesion(double X, double Y, double Z, double RadiusMm, double Hu);
