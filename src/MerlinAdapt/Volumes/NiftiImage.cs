namespace MerlinAdapt.Volumes;

/// <summary>A NIfTI file as read: the volume (scaled voxels as float32, MONAI's affine), its header and what was odd about it.</summary>
public sealed record NiftiImage(Volume Volume, NiftiHeader Header, string AffineSource, IReadOnlyList<string> Warnings)
{
    /// <summary>The datatype stored on disk.</summary>
    public NiftiDataType DataType => (NiftiDataType)Header.DataTypeCode;
}
