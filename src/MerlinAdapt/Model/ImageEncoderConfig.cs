namespace MerlinAdapt.Model;

/// <summary>
/// The inflated-ResNet image encoder as data (merlin-model.md §1): bottleneck blocks per stage, the planes of each
/// stage (outputs are 4× planes), stem width, and the two 1×1×1 heads.
/// </summary>
public sealed record ImageEncoderConfig
{
    /// <summary>Bottleneck blocks in layer1..layer4; ResNet-152: 3, 8, 36, 3.</summary>
    public int[] Blocks { get; init; } = [3, 8, 36, 3];

    /// <summary>Bottleneck widths of layer1..layer4; outputs are 4× these (256, 512, 1024, 2048 for Merlin).</summary>
    public int[] Planes { get; init; } = [64, 128, 256, 512];

    public int StemChannels { get; init; } = 64;

    /// <summary>The EHR phenotype head: 1692 PheWAS phecodes (merlin-model.md §1.4).</summary>
    public int Phenotypes { get; init; } = 1692;

    /// <summary>The shared image–text space: contrastive_head 2048 → 512.</summary>
    public int EmbeddingSize { get; init; } = 512;

    public int FeatureSize => 4 * Planes[^1];

    public void Validate()
    {
        if (Blocks.Length != 4 || Planes.Length != 4 || Blocks.Any(b => b < 1) || Planes.Any(p => p < 1) || StemChannels < 1
            || Phenotypes < 1 || EmbeddingSize < 1)
            throw new ArgumentException($"invalid image encoder config: blocks {string.Join(",", Blocks)}, planes {string.Join(",", Planes)}");
    }
}
