using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Analysis;

/// <summary>Principal component projection of row vectors (centred; components from the SVD, signs fixed so the largest loading is positive).</summary>
public static class Pca
{
    /// <returns>(N, components) scores and the fraction of variance each component explains.</returns>
    public static (Tensor Scores, double[] ExplainedVariance) Project(Tensor data, int components = 2)
    {
        using var scope = NewDisposeScope();
        var x = data.to(float64);
        var centred = x - x.mean([0], keepdim: true);
        var (_, s, vh) = linalg.svd(centred, fullMatrices: false);
        var k = (int)Math.Min(components, vh.shape[0]);
        var axes = vh.narrow(0, 0, k);
        // Deterministic signs: the largest-magnitude loading of each axis is positive.
        var largest = axes.abs().argmax(1);
        var signs = axes.gather(1, largest.unsqueeze(1)).sign();
        axes = axes * signs;
        var variance = s.pow(KeptScalars.Two);
        var explained = (variance.narrow(0, 0, k) / variance.sum()).data<double>().ToArray();
        return (matmul(centred, axes.t()).MoveToOuterDisposeScope(), explained);
    }
}
