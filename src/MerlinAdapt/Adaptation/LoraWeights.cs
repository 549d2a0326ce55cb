using static TorchSharp.torch;

namespace MerlinAdapt.Adaptation;

/// <summary>Merging shared by the LoRA layers: W ← W ± ΔW in place, without autograd, idempotent.</summary>
internal static class LoraWeights
{
    /// <returns>The merged state afterwards.</returns>
    public static bool Shift(Tensor weight, Func<Tensor> delta, bool isMerged, bool merge)
    {
        if (isMerged == merge) return isMerged;
        using var noGrad = no_grad();
        using var d = delta();
        if (merge) weight.add_(d, KeptScalars.One);
        else weight.sub_(d);
        return merge;
    }
}
