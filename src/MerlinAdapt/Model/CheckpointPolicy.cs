namespace MerlinAdapt.Model;

/// <summary>
/// Where the image encoder recomputes activations instead of storing them: per stage (the whole of layerN as one
/// checkpoint) and/or per bottleneck block. Merlin's training code checkpoints each stage and each block body.
/// </summary>
public sealed record CheckpointPolicy
{
    public static CheckpointPolicy None { get; } = new();

    /// <summary>Every block checkpointed: the memory of one block's activations per stage, one extra forward.</summary>
    public static CheckpointPolicy EveryBlock { get; } = new() { Blocks = [true, true, true, true] };

    /// <summary>Stages (layer1..layer4) checkpointed as a whole.</summary>
    public bool[] Stages { get; init; } = [false, false, false, false];

    /// <summary>Blocks of each stage checkpointed one by one (used where the stage itself is not).</summary>
    public bool[] Blocks { get; init; } = [false, false, false, false];

    public bool Any => Stages.Any(s => s) || Blocks.Any(b => b);
}
