namespace MerlinAdapt.Model;

/// <summary>
/// Where the image encoder recomputes activations instead of storing them: per stage (the whole of layerN as one
/// checkpoint) and/or per bottleneck block. Merlin's training code checkpoints each stage and each block body.
/// </summary>
public sealed record CheckpointPolicy
{
    public static CheckpointPolicy None { get; } = new();

    /// <summary>Every block checkpointed: only block inputs are kept, at the cost of one extra forward.</summary>
    public static CheckpointPolicy EveryBlock { get; } = new() { Blocks = [true, true, true, true] };

    /// <summary>
    /// Stem, stages and blocks, nested as in Merlin's training code: only the stage inputs stay in memory; while a
    /// stage is recomputed, only its block inputs do. The least memory, still one extra forward per level.
    /// </summary>
    public static CheckpointPolicy Nested { get; } = new() { Stem = true, Stages = [true, true, true, true], Blocks = [true, true, true, true] };

    /// <summary>The stem (conv1, bn1, ReLU, max-pool), whose full-resolution outputs are the largest activations.</summary>
    public bool Stem { get; init; }

    /// <summary>Stages (layer1..layer4) checkpointed as a whole.</summary>
    public bool[] Stages { get; init; } = [false, false, false, false];

    /// <summary>Blocks of each stage checkpointed one by one (inside a checkpointed stage too: nested).</summary>
    public bool[] Blocks { get; init; } = [false, false, false, false];

    public bool Any => Stem || Stages.Any(s => s) || Blocks.Any(b => b);
}
