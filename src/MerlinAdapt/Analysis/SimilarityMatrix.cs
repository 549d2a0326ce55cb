using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Analysis;

/// <summary>
/// Image × report cosine similarities with rows and columns sorted by class (the paper's Figures 7–11), and the mean
/// similarity of matched pairs against that of unmatched ones (Table 4's CosSim).
/// </summary>
public sealed record SimilarityMatrix(double[,] Values, string[] Labels, double MatchedMean, double UnmatchedMean)
{
    public static SimilarityMatrix Of(Tensor images, Tensor reports, IReadOnlyList<string> labels)
    {
        using var scope = NewDisposeScope();
        var order = Enumerable.Range(0, labels.Count).OrderBy(i => labels[i], StringComparer.Ordinal).ThenBy(i => i).ToArray();
        var sims = matmul(nn.functional.normalize(images.to(float64), dim: -1), nn.functional.normalize(reports.to(float64), dim: -1).t());
        var n = labels.Count;
        var matched = sims.diagonal().mean().ToDouble();
        var unmatched = n > 1 ? (sims.sum().ToDouble() - sims.diagonal().sum().ToDouble()) / (n * (n - 1.0)) : double.NaN;
        var flat = sims.data<double>().ToArray();
        var values = new double[n, n];
        for (var r = 0; r < n; r++)
            for (var c = 0; c < n; c++) values[r, c] = flat[order[r] * n + order[c]];
        return new SimilarityMatrix(values, order.Select(i => labels[i]).ToArray(), matched, unmatched);
    }
}
