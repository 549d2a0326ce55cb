using static TorchSharp.torch;

namespace MerlinAdapt.Adaptation;

/// <summary>
/// What every low-rank adapter layer offers (as HF peft's LoRA layers): the frozen base weight plus a trainable
/// update ΔW = (α/r)·B·A that can be merged into the weight for zero inference overhead and unmerged again.
/// </summary>
public interface ILoraLayer
{
    int Rank { get; }

    /// <summary>α / r.</summary>
    double Scale { get; }

    bool IsMerged { get; }

    /// <summary>The base weight (shared with the wrapped layer).</summary>
    Tensor BaseWeight { get; }

    /// <summary>(α/r)·B·A in the base weight's shape.</summary>
    Tensor DeltaWeight();

    /// <summary>W ← W + ΔW; the forward then skips the adapter branch.</summary>
    void Merge();

    /// <summary>W ← W − ΔW; the forward runs the adapter branch again.</summary>
    void Unmerge();

    /// <summary>A plain layer (Linear / Conv3d) whose weight is the effective one: base + ΔW.</summary>
    TorchSharp.torch.nn.Module<Tensor, Tensor> ToPlain();

    /// <summary>The adapter's own parameters (A and B).</summary>
    IEnumerable<(string Name, TorchSharp.Modules.Parameter Parameter)> AdapterParameters();
}
