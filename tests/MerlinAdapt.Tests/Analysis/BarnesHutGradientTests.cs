using MerlinAdapt.Analysis;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Analysis;

public sealed class BarnesHutGradientTests
{
    /// <summary>θ = 0 opens every cell: the tree's gradient is the exact method's on the same (sparse) P.</summary>
    [Theory]
    [InlineData(1.0)]
    [InlineData(12.0)]
    public void Compute_AtThetaZero_EqualsTheExactGradient(double exaggeration)
    {
        var (p, y) = Problem(60, perplexity: 5, seed: 11);

        var gradient = new double[y.Length];
        new BarnesHutGradient(p).Compute(y, exaggeration, theta: 0, gradient);

        var exact = Exact(p, y, exaggeration);
        Assert.True(TensorAssert.RelativeToMax(exact, tensor(gradient, [60, 2], dtype: float64)) < 1e-12);
    }

    /// <summary>θ = 0.5 (van der Maaten 2014's default) stays within 5 % of the exact gradient as a whole.</summary>
    [Fact]
    public void Compute_AtThetaHalf_ApproximatesTheExactGradient()
    {
        var (p, y) = Problem(400, perplexity: 10, seed: 12);

        var gradient = new double[y.Length];
        new BarnesHutGradient(p).Compute(y, 1, theta: 0.5, gradient);

        using var exact = Exact(p, y, 1);
        using var approximate = tensor(gradient, [400, 2], dtype: float64);
        var error = (approximate - exact).norm().ToDouble() / exact.norm().ToDouble();
        Assert.True(error < 0.05, $"relative error {error}");
    }

    private static Tensor Exact(SparseAffinities p, double[] y, double exaggeration)
    {
        using var scope = NewDisposeScope();
        var n = p.N;
        return ExactTsne.Gradient(SparseAffinitiesTests.Dense(p), tensor(y, [n, 2], dtype: float64), exaggeration, eye(n).to(@bool))
            .MoveToOuterDisposeScope();
    }

    /// <summary>Affinities of two Gaussian blobs in 10-D and a spread-out 2-D layout, as t-SNE sees mid-run.</summary>
    private static (SparseAffinities P, double[] Y) Problem(int n, double perplexity, int seed)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)seed);
        var data = cat([randn([n / 2, 10], dtype: float64, generator: generator), randn([n - n / 2, 10], dtype: float64, generator: generator) + 2], 0);
        var p = SparseAffinities.Compute(data, perplexity);
        var y = (randn([n, 2], dtype: float64, generator: generator) * 5).data<double>().ToArray();
        return (p, y);
    }
}
