namespace MerlinAdapt.Adaptation;

/// <summary>Ranks, scalings, dropout and target layers of the adapters; defaults are the paper's code's (hcc-merlin-reference.md §1).</summary>
public sealed record LoraOptions
{
    /// <summary>Text LoRA rank (r = 16).</summary>
    public int TextRank { get; init; } = 16;

    /// <summary>Text LoRA α (32, so α/r = 2).</summary>
    public double TextAlpha { get; init; } = 32;

    public double TextDropout { get; init; } = 0.2;

    /// <summary>Linear layers of each Longformer layer that get LoRA (not the unused *_global ones).</summary>
    public string[] TextTargets { get; init; } = ["query", "key", "value"];

    /// <summary>ConvLoRA rank (r = 2).</summary>
    public int ImageRank { get; init; } = 2;

    /// <summary>ConvLoRA α (2, so α/r = 1).</summary>
    public double ImageAlpha { get; init; } = 2;

    public double ImageDropout { get; init; }

    /// <summary>Convolutions of each bottleneck that get ConvLoRA (not the stem, not the heads).</summary>
    public string[] ImageTargets { get; init; } = ["conv1", "conv2", "conv3", "downsample.0"];
}
