using MerlinAdapt.Analysis;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Analysis;

/// <summary>The Barnes–Hut path and method selection; the exact path's cluster test is in <see cref="ProjectionTests"/>.</summary>
public sealed class TsneTests
{
    [Fact]
    public void BarnesHut_KeepsGaussianBlobsApart()
    {
        using var scope = NewDisposeScope();
        var (data, labels) = Blobs(classes: 3, perClass: 200, seed: 13);

        var y = new Tsne(Perplexity: 30, Iterations: 500, Method: TsneMethod.BarnesHut).Embed(data);

        Assert.Equal([600L, 2], y.shape);
        Assert.Equal(float64, y.dtype);
        var agreement = NeighbourAgreement(y, labels, 10);
        Assert.True(agreement > 0.95, $"10-NN class agreement {agreement}");
    }

    [Fact]
    public void BarnesHut_IsSeeded()
    {
        using var scope = NewDisposeScope();
        var (data, _) = Blobs(classes: 2, perClass: 150, seed: 14);
        var tsne = new Tsne(Perplexity: 20, Iterations: 300, Seed: 5, Method: TsneMethod.BarnesHut);

        var y = tsne.Embed(data);

        Assert.True(TensorAssert.Same(y, tsne.Embed(data)));
        Assert.False(TensorAssert.Same(y, (tsne with { Seed = 6 }).Embed(data)));
    }

    /// <summary>
    /// From one start, with every pair a neighbour and θ = 0, Barnes–Hut takes the exact method's steps (same learning
    /// rate, momentum, gains, recentring). Only the first few: the exact method runs in float32, and the gains amplify its
    /// rounding until the two runs part after a few dozen steps.
    /// </summary>
    [Fact]
    public void BarnesHut_AtThetaZeroWithAllNeighbours_FollowsTheExactMethod()
    {
        using var scope = NewDisposeScope();
        var (data, _) = Blobs(classes: 2, perClass: 30, seed: 15);
        var exact = new Tsne(Iterations: 5, Method: TsneMethod.Exact); // perplexity 30 → 59/3: k = n − 1

        var expected = exact.Embed(data);
        var actual = (exact with { Method = TsneMethod.BarnesHut, Theta = 0 }).Embed(data);

        Assert.True(TensorAssert.RelativeToMax(expected, actual) < 1e-5);
    }

    [Fact]
    public void Auto_IsExactUpToTheLimit_AndBarnesHutAbove()
    {
        var auto = new Tsne();

        Assert.Equal(TsneMethod.Exact, auto.MethodFor(Tsne.ExactLimit));
        Assert.Equal(TsneMethod.BarnesHut, auto.MethodFor(Tsne.ExactLimit + 1));
        Assert.Equal(TsneMethod.Exact, (auto with { Method = TsneMethod.Exact }).MethodFor(3000));
        Assert.Equal(TsneMethod.BarnesHut, (auto with { Method = TsneMethod.BarnesHut }).MethodFor(10));
    }

    [Fact]
    public void Embed_RejectsTooFewPoints_AndBadOptions()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => new Tsne().Embed(zeros(3, 5)));
        Assert.Throws<ArgumentException>(() => new Tsne().Embed(zeros(10)));
        Assert.Throws<ArgumentException>(() => new Tsne(Perplexity: 0).Embed(randn(10, 5)));
        Assert.Throws<ArgumentException>(() => new Tsne(Theta: -1).Embed(randn(10, 5)));
    }

    internal static (Tensor Data, int[] Labels) Blobs(int classes, int perClass, int seed)
    {
        var generator = new Generator((ulong)seed);
        var centres = randn([classes, 20], dtype: float64, generator: generator) * 3;
        var data = cat(Enumerable.Range(0, classes)
            .Select(c => randn([perClass, 20], dtype: float64, generator: generator) + centres[c]).ToArray(), 0);
        return (data, Enumerable.Range(0, classes * perClass).Select(i => i / perClass).ToArray());
    }

    /// <summary>The mean fraction of each point's k nearest embedded neighbours that share its label.</summary>
    internal static double NeighbourAgreement(Tensor y, int[] labels, int k)
    {
        using var scope = NewDisposeScope();
        var order = cdist(y, y).argsort(1).narrow(1, 1, k).contiguous().data<long>().ToArray();
        return Enumerable.Range(0, labels.Length).Average(i => order.Skip(i * k).Take(k).Count(j => labels[j] == labels[i]) / (double)k);
    }
}

/// <summary>Changes torch's global thread count: runs alone.</summary>
[Collection("sequential-torch")]
public sealed class TsneThreadTests
{
    /// <summary>Per-point sums, Z added in point order and pair-by-pair neighbour distances: threads change nothing.</summary>
    [Fact]
    public void BarnesHut_GivesTheSameResult_OnOneOrTwoThreads()
    {
        using var scope = NewDisposeScope();
        var (data, _) = TsneTests.Blobs(classes: 2, perClass: 200, seed: 16);
        var tsne = new Tsne(Iterations: 200, Method: TsneMethod.BarnesHut);
        var threads = get_num_threads();
        try
        {
            set_num_threads(1);
            var one = tsne.Embed(data);
            set_num_threads(2);
            var two = tsne.Embed(data);
            Assert.True(TensorAssert.Same(one, two));
        }
        finally
        {
            set_num_threads(threads);
        }
    }
}
