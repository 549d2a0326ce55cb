using static TorchSharp.torch;

namespace MerlinAdapt.Analysis;

/// <summary>
/// Barnes–Hut t-SNE (van der Maaten 2014): nearest-neighbour input affinities (<see cref="SparseAffinities"/>) and
/// quadtree repulsion (<see cref="BarnesHutGradient"/>), with the same descent as <see cref="ExactTsne"/> (momentum,
/// gains, early exaggeration, recentring) in plain float64 arrays. O(n log n) per iteration.
/// </summary>
internal static class BarnesHutTsne
{
    /// <param name="start">(n, 2) starting layout.</param>
    public static Tensor Embed(Tensor data, double perplexity, Tensor start, Tsne options)
    {
        var p = SparseAffinities.Compute(data, perplexity);
        var n = p.N;
        var y = start.to(float64).contiguous().data<double>().ToArray();
        var gradient = new double[2 * n];
        var velocity = new double[2 * n];
        var gains = new double[2 * n];
        Array.Fill(gains, 1.0);
        var forces = new BarnesHutGradient(p);
        for (var iteration = 0; iteration < options.Iterations; iteration++)
        {
            var (exaggeration, momentum) = options.Schedule(iteration);
            forces.Compute(y, exaggeration, options.Theta, gradient);
            var (sumX, sumY) = (0.0, 0.0);
            for (var c = 0; c < 2 * n; c++)
            {
                // Delta-bar-delta: grow the gain while the gradient keeps pointing against the last step.
                gains[c] = Math.Max(Tsne.MinGain, Sign(gradient[c]) == Sign(velocity[c]) ? gains[c] * 0.8 : gains[c] + 0.2);
                velocity[c] = momentum * velocity[c] - options.LearningRate * gains[c] * gradient[c];
                y[c] += velocity[c];
                if (c % 2 == 0) sumX += y[c];
                else sumY += y[c];
            }
            var (meanX, meanY) = (sumX / n, sumY / n);
            for (var i = 0; i < n; i++)
            {
                y[2 * i] -= meanX;
                y[2 * i + 1] -= meanY;
            }
        }
        return tensor(y, [n, 2], dtype: float64);
    }

    /// <summary>torch.sign's values; Math.Sign would throw on NaN.</summary>
    private static int Sign(double value) => value > 0 ? 1 : value < 0 ? -1 : 0;
}
