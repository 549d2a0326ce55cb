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
    // Kept for the process: see KeptScalars.
    private static readonly Scalar Floor = 1e-12, Tiny = 1e-300, Four = 4;
    private static readonly Scalar Shrink = 0.8, Grow = 0.2, MinGain = Tsne.MinGain;

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
        using var learningRate = options.LearningRate.ToScalar();
        for (var iteration = 0; iteration < options.Iterations; iteration++)
        {
            using var step = NewDisposeScope();
            var (exaggeration, momentum) = options.Schedule(iteration);
            using var inertia = momentum.ToScalar();
            var gradient = Gradient(p, y, exaggeration, eye);
            var sameSign = gradient.sign().eq(velocity.sign());
            var newGains = where(sameSign, gains.mul(Shrink), gains.add(Grow, KeptScalars.One)).clamp_min(MinGain);
            var newVelocity = velocity.mul(inertia).sub(newGains.mul(learningRate).mul(gradient));
            var moved = y.add(newVelocity, KeptScalars.One);
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
        using var weight = exaggeration.ToScalar();
        var num = Squared(y).add(KeptScalars.One, KeptScalars.One).reciprocal().masked_fill(eye, KeptScalars.Zero);
        var q = (num / num.sum()).clamp_min(Floor);
        var pq = (p.mul(weight) - q) * num;
        return (pq.sum(1, keepdim: true) * y - matmul(pq, y)).mul(Four).MoveToOuterDisposeScope();
    }

    /// <summary>Symmetrised P: per-row Gaussian with the precision that gives the target perplexity (entropy log perplexity).</summary>
    public static Tensor Affinities(Tensor x, double perplexity)
    {
        using var scope = NewDisposeScope();
        var n = x.shape[0];
        var distances = Squared(x);
        var eye = torch.eye(n, dtype: float64).to(@bool);
        using var target = Math.Log(perplexity).ToScalar();
        var lo = zeros([n, 1], dtype: float64);
        var hi = KeptScalars.Full([n, 1], double.PositiveInfinity, float64);
        var beta = ones([n, 1], dtype: float64) / distances.mean().clamp_min(Floor);
        Tensor conditional = null!;
        for (var i = 0; i < 64; i++)
        {
            // Each pass makes several n×n temporaries: free them per pass (64 passes would otherwise hold them all).
            using var pass = NewDisposeScope();
            var logits = (-distances * beta).masked_fill(eye, KeptScalars.NegativeInfinity);
            var current = nn.functional.softmax(logits, 1);
            var entropy = -(current * current.add(Tiny, KeptScalars.One).log()).sum(1, keepdim: true);
            var tooFlat = entropy.gt(target); // too high entropy → sharpen: larger beta
            lo = where(tooFlat, beta, lo).MoveToOuterDisposeScope();
            hi = where(tooFlat, hi, beta).MoveToOuterDisposeScope();
            beta = where(hi.isinf(), beta.mul(KeptScalars.Two), lo.add(hi, KeptScalars.One).div(KeptScalars.Two)).MoveToOuterDisposeScope();
            conditional?.Dispose();
            conditional = current.MoveToOuterDisposeScope();
        }
        using var pairs = (2.0 * n).ToScalar();
        var p = conditional.add(conditional.t(), KeptScalars.One).div(pairs);
        return p.clamp_min(Floor).MoveToOuterDisposeScope();
    }

    private static Tensor Squared(Tensor x)
    {
        var norms = x.pow(KeptScalars.Two).sum(1, keepdim: true);
        return norms.add(norms.t(), KeptScalars.One).add(matmul(x, x.t()), KeptScalars.MinusTwo).clamp_min(KeptScalars.Zero);
    }
}
