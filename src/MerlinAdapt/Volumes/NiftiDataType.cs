namespace MerlinAdapt.Volumes;

/// <summary>NIfTI datatype codes (nifti1.h) that MerlinAdapt reads and writes.</summary>
public enum NiftiDataType : short
{
    UInt8 = 2,
    Int16 = 4,
    Int32 = 8,
    Float32 = 16,
    Float64 = 64,
    Int8 = 256,
    UInt16 = 512,
    UInt32 = 768,
    Int64 = 1024,
    UInt64 = 1280,
}

public static class NiftiDataTypes
{
    public static bool IsSupported(int code) => Enum.IsDefined(typeof(NiftiDataType), (short)code) && code is > 0 and < short.MaxValue;

    public static int BytesPerVoxel(this NiftiDataType type) => type switch
    {
        NiftiDataType.UInt8 or NiftiDataType.Int8 => 1,
        NiftiDataType.Int16 or NiftiDataType.UInt16 => 2,
        NiftiDataType.Int32 or NiftiDataType.UInt32 or NiftiDataType.Float32 => 4,
        NiftiDataType.Float64 or NiftiDataType.Int64 or NiftiDataType.UInt64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static bool IsInteger(this NiftiDataType type) => type is not (NiftiDataType.Float32 or NiftiDataType.Float64);

    /// <summary>Names for the datatype codes nifti1.h defines but MerlinAdapt does not read, for error messages.</summary>
    public static string Describe(int code) => code switch
    {
        0 => "0 (unknown)",
        1 => "1 (binary)",
        32 => "32 (complex64)",
        128 => "128 (RGB24)",
        1536 => "1536 (float128)",
        1792 => "1792 (complex128)",
        2048 => "2048 (complex256)",
        2304 => "2304 (RGBA32)",
        _ => code.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
