using static TorchSharp.torch;

namespace MerlinAdapt.Model.Image;

/// <summary>
/// What the image encoder returns for a batch: pooled 2048-d features (Merlin's "ImageEmbedding", as [B, 2048] —
/// Merlin itself adds a leading axis, [1, B, 2048]), the contrastive 512-d embedding before L2 normalisation,
/// the 1692 phenotype logits (no sigmoid), and the layer4 map in the encoder's (N, C, D=Z, H=X, W=Y) layout.
/// </summary>
public sealed record ImageFeatures(Tensor Pooled, Tensor Contrastive, Tensor Phenotypes, Tensor Layer4) : IDisposable
{
    /// <summary>The contrastive embedding divided by its L2 norm (what MerlinArchitecture returns).</summary>
    public Tensor Normalized() => nn.functional.normalize(Contrastive, p: 2, dim: -1);

    public void Dispose()
    {
        Pooled.Dispose();
        Contrastive.Dispose();
        Phenotypes.Dispose();
        Layer4.Dispose();
    }
}
