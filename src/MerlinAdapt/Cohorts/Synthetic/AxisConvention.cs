namespace MerlinAdapt.Cohorts.Synthetic;

/// <summary>Which way the stored voxel axes run: RAS (as MONAI writes) or LPS (as DICOM/ITK-based tools write).</summary>
public enum AxisConvention
{
    Ras,
    Lps,
}
