using MerlinAdapt.Analysis;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Analysis;

public sealed class ProjectionTests
{
    [Fact]
    public void Pca_FindsTheDirectionOfLargestVariance()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(1);
        var t = randn([200, 1], dtype: float64, generator: generator) * 5;
        var direction = tensor(new double[] { 3, 4, 0, 0 }) / 5;
        var data = t * direction + randn([200, 4], dtype: float64, generator: generator) * 0.1;

        var (scores, explained) = Pca.Project(data, 2);

        Assert.Equal([200L, 2], scores.shape);
        Assert.True(explained[0] > 0.99, $"first component explains {explained[0]}");
        var correlation = corrcoef(stack([scores[.., 0], t.squeeze(1)]))[0, 1].ToDouble();
        Assert.True(Math.Abs(correlation) > 0.999);
    }

    /// <summary>Two separated clusters in 32-D stay separated in 2-D: each point's 5 nearest neighbours share its cluster.</summary>
    [Fact]
    public void Tsne_KeepsClustersApart_AndIsSeeded()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(2);
        var a = randn([60, 32], dtype: float64, generator: generator);
        var b = randn([60, 32], dtype: float64, generator: generator) + 4;
        var data = cat([a, b], 0);
        var labels = Enumerable.Range(0, 120).Select(i => i < 60 ? 0 : 1).ToArray();
        var tsne = new Tsne(Perplexity: 15, Iterations: 400, Seed: 3);

        var y = tsne.Embed(data);
        var again = tsne.Embed(data);

        Assert.True(TensorAssert.Same(y, again));
        var distances = cdist(y, y);
        var agreement = 0.0;
        for (var i = 0; i < 120; i++)
        {
            var neighbours = distances[i].argsort().narrow(0, 1, 5).data<long>().ToArray();
            agreement += neighbours.Count(j => labels[j] == labels[i]) / 5.0;
        }
        Assert.True(agreement / 120 > 0.95, $"neighbour agreement {agreement / 120}");
    }
}
