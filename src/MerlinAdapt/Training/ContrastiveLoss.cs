using MerlinAdapt.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Training;

/// <summary>
/// Symmetric InfoNCE (CLIP's loss) over a batch of matched image–report pairs: logits = cos / τ with the model's
/// learnable temperature; cross-entropy of each image against all reports and of each report against all images,
/// averaged. Pair i is the positive of row i.
/// </summary>
public static class ContrastiveLoss
{
    public static Tensor SymmetricInfoNce(MerlinModel model, Tensor imageEmbeddings, Tensor textEmbeddings)
    {
        using var scope = NewDisposeScope();
        var logits = model.Logits(imageEmbeddings, textEmbeddings);
        var labels = KeptScalars.Arange(0, logits.shape[0], int64, logits.device);
        var loss = nn.functional.cross_entropy(logits, labels).add(nn.functional.cross_entropy(logits.t(), labels), KeptScalars.One).div(KeptScalars.Two);
        return loss.MoveToOuterDisposeScope();
    }
}
