namespace MerlinAdapt.Reporting;

/// <summary>The three orthogonal planes a radiologist reads a CT in.</summary>
public enum SlicePlane
{
    /// <summary>Transverse (fixed S index), viewed from the feet.</summary>
    Axial,

    /// <summary>Frontal (fixed A index), viewed from the front.</summary>
    Coronal,

    /// <summary>Lateral (fixed R index), anterior on the left.</summary>
    Sagittal,
}
