using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Analysis;

/// <summary>
/// Exact t-SNE (van der Maaten &amp; Hinton 2008) on tensors: Gaussian affinities calibrated per point to a
/// perplexity by bisection (all rows at once), symmetrised; Student-t affinities in 2-D; gradient descent with
/// momentum 0.5 → 0.8, early exaggeration 12 for the first 250 iterations and per-parameter gains. No .NET package
/// provides it. O(n²) memory and time per iteration, vectorised: a few thousand points take well under a minute.
/// </summary>
public sealed record Tsne(double Perplexity = 30, int Iterations = 1000, double LearningRate = 200, int Seed = 42)
{
    public Tensor Embed(Tensor data)
    {
        using var scope = NewDisposeScope();
        var x = data.to(float64);
        var n = x.shape[0];
        if (n < 4) throw new ArgumentException("t-SNE needs at least 4 points");
        // Affinities in float64 (the perplexity search needs it); the 1,000 descent steps in float32, twice as fast.
        var p = Affinities(x, Math.Min(Perplexity, (n - 1) / 3.0)).to(float32);
        var generator = new Generator((ulong)Seed);
        var y = randn([n, 2], dtype: float32, generator: generator) * 1e-4;
        var velocity = zeros_like(y);
        var gains = ones_like(y);
        var eye = torch.eye(n).to(@bool);
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            using var step = NewDisposeScope();
            var exaggeration = iteration < 250 ? 12.0 : 1.0;
            var momentum = iteration < 250 ? 0.5 : 0.8;
            var squared = Squared(y);
            var num = (1 + squared).reciprocal().masked_fill(eye, 0);
            var q = (num / num.sum()).clamp_min(1e-12);
            var pq = (p * exaggeration - q) * num;
            var gradient = 4 * (pq.sum(1, keepdim: true) * y - matmul(pq, y));
            var sameSign = gradient.sign().eq(velocity.sign());
            var newGains = where(sameSign, gains * 0.8, gains + 0.2).clamp_min(0.01);
            var newVelocity = momentum * velocity - LearningRate * newGains * gradient;
            var moved = y + newVelocity;
            var newY = moved - moved.mean([0], keepdim: true);
            gains.Dispose();
            velocity.Dispose();
            y.Dispose();
            (gains, velocity, y) = (newGains.MoveToOuterDisposeScope(), newVelocity.MoveToOuterDisposeScope(), newY.MoveToOuterDisposeScope());
        }
        return y.to(float64).MoveToOuterDisposeScope();
    }

    private static Tensor Squared(Tensor x)
    {
        var norms = x.pow(2).sum(1, keepdim: true);
        return (norms + norms.t() - 2 * matmul(x, x.t())).clamp_min(0);
    }

    /// <summary>Symmetrised P: per-row Gaussian with the precision that gives the target perplexity (entropy log perplexity).</summary>
    private static Tensor Affinities(Tensor x, double perplexity)
    {
        var n = x.shape[0];
        var distances = Squared(x);
        var eye = torch.eye(n, dtype: float64).to(@bool);
        var target = Math.Log(perplexity);
        var lo = zeros([n, 1], dtype: float64);
        var hi = full([n, 1], double.PositiveInfinity, dtype: float64);
        var beta = ones([n, 1], dtype: float64) / distances.mean().clamp_min(1e-12);
        Tensor conditional = null!;
        for (var i = 0; i < 64; i++)
        {
            // Each pass makes several n×n temporaries: free them per pass (64 passes would otherwise hold them all).
            using var pass = NewDisposeScope();
            var logits = (-distances * beta).masked_fill(eye, double.NegativeInfinity);
            var current = nn.functional.softmax(logits, 1);
            var entropy = -(current * (current + 1e-300).log()).sum(1, keepdim: true);
            var tooFlat = entropy.gt(target); // too high entropy → sharpen: larger beta
            lo = where(tooFlat, beta, lo).MoveToOuterDisposeScope();
            hi = where(tooFlat, hi, beta).MoveToOuterDisposeScope();
            beta = where(hi.isinf(), beta * 2, (lo + hi) / 2).MoveToOuterDisposeScope();
            conditional?.Dispose();
            conditional = current.MoveToOuterDisposeScope();
        }
        var p = (conditional + conditional.t()) / (2.0 * n);
        return p.clamp_min(1e-12);
    }
}
