using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Analysis;

/// <summary>
/// Exact t-SNE (van der Maaten &amp; Hinton 2008) on dense tensors: all n² affinities, the perplexity bisection run on
/// every row at once. O(n²) memory and time per iteration, vectorised; <see cref="Tsne"/> uses it up to
/// <see cref="Tsne.ExactLimit"/> points.
/// </summary>
internal static class ExactTsne
{
    /// <param name="start">(n, 2) float32 starting layout.</param>
    public static Tensor Embed(Tensor data, double perplexity, Tensor start, Tsne options)
    {
        using var scope = NewDisposeScope();
        var x = data.to(float64);
        var n = x.shape[0];
        // Affinities in float64 (the perplexity search needs it); the 1,000 descent steps in float32, twice as fast.
        var p = Affinities(x, perplexity).to(float32);
        var y = start.clone();
        var velocity = zeros_like(y);
        var gains = ones_like(y);
        var eye = torch.eye(n).to(@bool);
        for (var iteration = 0; iteration < options.Iterations; iteration++)
        {
            using var step = NewDisposeScope();
            var (exaggeration, momentum) = options.Schedule(iteration);
            var gradient = Gradient(p, y, exaggeration, eye);
            var sameSign = gradient.sign().eq(velocity.sign());
            var newGains = where(sameSign, gains * 0.8, gains + 0.2).clamp_min(Tsne.MinGain);
            var newVelocity = momentum * velocity - options.LearningRate * newGains * gradient;
            var moved = y + newVelocity;
            var newY = moved - moved.mean([0], keepdim: true);
            gains.Dispose();
            velocity.Dispose();
            y.Dispose();
            (gains, velocity, y) = (newGains.MoveToOuterDisposeScope(), newVelocity.MoveToOuterDisposeScope(), newY.MoveToOuterDisposeScope());
        }
        return y.to(float64).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// ∂KL/∂y_i = 4 Σ_j (exaggeration · p_ij − q_ij)(1 + |y_i − y_j|²)⁻¹ (y_i − y_j), in the dtype of <paramref name="y"/>.
    /// </summary>
    /// <param name="eye">(n, n) boolean diagonal: no point attracts or repels itself.</param>
    public static Tensor Gradient(Tensor p, Tensor y, double exaggeration, Tensor eye)
    {
        using var scope = NewDisposeScope();
        var num = (1 + Squared(y)).reciprocal().masked_fill(eye, 0);
        var q = (num / num.sum()).clamp_min(1e-12);
        var pq = (p * exaggeration - q) * num;
        return (4 * (pq.sum(1, keepdim: true) * y - matmul(pq, y))).MoveToOuterDisposeScope();
    }

    /// <summary>Symmetrised P: per-row Gaussian with the precision that gives the target perplexity (entropy log perplexity).</summary>
    public static Tensor Affinities(Tensor x, double perplexity)
    {
        using var scope = NewDisposeScope();
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
        return p.clamp_min(1e-12).MoveToOuterDisposeScope();
    }

    private static Tensor Squared(Tensor x)
    {
        var norms = x.pow(2).sum(1, keepdim: true);
        return (norms + norms.t() - 2 * matmul(x, x.t())).clamp_min(0);
    }
}
