using System.IO.Compression;

namespace MerlinAdapt.Volumes;

/// <summary>How <see cref="NiftiWriter"/> stores a volume. The defaults write what `preprocess` outputs: NIfTI-1 float32.</summary>
public sealed record NiftiWriteOptions
{
    public int Version { get; init; } = 1;
    public NiftiDataType DataType { get; init; } = NiftiDataType.Float32;
    public bool BigEndian { get; init; }
    /// <summary>scl_slope / scl_inter stored in the header; integer datatypes store round((v − inter) / slope).</summary>
    public double Slope { get; init; } = 1;
    public double Inter { get; init; }
    /// <summary>Used for .gz paths. Fastest: preprocessed volumes are mostly zeros and compress well at any level.</summary>
    public CompressionLevel Compression { get; init; } = CompressionLevel.Fastest;
    public string Description { get; init; } = "MerlinAdapt";
}
