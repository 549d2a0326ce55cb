using System.Text.Json.Serialization;

namespace MerlinAdapt.Preprocessing;

/// <summary>Settings of Merlin's image preprocessing; the defaults are Merlin's (merlin-model.md §4).</summary>
public sealed record PreprocessingOptions
{
    /// <summary>Target voxel size in mm (X, Y, Z) = (R, A, S): Merlin's Spacingd pixdim (1.5, 1.5, 3).</summary>
    public double[] Spacing { get; init; } = [1.5, 1.5, 3.0];

    /// <summary>Output grid (X, Y, Z): Merlin's SpatialPadd / CenterSpatialCropd size (224, 224, 160).</summary>
    public int[] Size { get; init; } = [224, 224, 160];

    /// <summary>HU window mapped to 0..1 and clipped: Merlin's ScaleIntensityRanged(−1000, 1000).</summary>
    public double HuMin { get; init; } = -1000;

    public double HuMax { get; init; } = 1000;

    [JsonConverter(typeof(JsonStringEnumConverter<DepthMode>))]
    public DepthMode Depth { get; init; } = DepthMode.PadCrop;

    public void Validate()
    {
        if (Spacing.Length != 3 || Spacing.Any(s => !(s > 0) || !double.IsFinite(s)))
            throw new InputException("--spacing", $"needs three positive numbers in mm, got {string.Join(",", Spacing)}");
        if (Size.Length != 3 || Size.Any(s => s < 1))
            throw new InputException("--size", $"needs three positive voxel counts, got {string.Join(",", Size)}");
        if (!(HuMax > HuMin)) throw new InputException("--hu-window", $"needs min < max, got {HuMin}..{HuMax}");
    }
}
