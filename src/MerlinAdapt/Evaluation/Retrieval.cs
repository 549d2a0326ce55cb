using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Evaluation;

/// <summary>Cross-modal retrieval Recall@k over matched pairs (row i of each matrix is one study), as the paper's code logs it.</summary>
public static class Retrieval
{
    public static Dictionary<string, double> RecallAtK(Tensor imageEmbeddings, Tensor textEmbeddings, params int[] ks)
    {
        using var scope = NewDisposeScope();
        var sims = matmul(nn.functional.normalize(imageEmbeddings.to(float64), dim: -1), nn.functional.normalize(textEmbeddings.to(float64), dim: -1).t());
        var result = new Dictionary<string, double>();
        foreach (var (name, matrix) in new[] { ("image_to_text", sims), ("text_to_image", sims.t()) })
        {
            // Rank of the matched item = how many candidates score strictly higher.
            var matched = matrix.diagonal().unsqueeze(1);
            var rank = matrix.gt(matched).sum(1);
            foreach (var k in ks)
            {
                using var limit = k.ToScalar(); // see KeptScalars
                result[$"{name}_recall_at_{k}"] = rank.lt(limit).to(float64).mean().ToDouble();
            }
        }
        return result;
    }
}
