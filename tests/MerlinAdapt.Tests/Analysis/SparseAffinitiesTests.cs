using MerlinAdapt.Analysis;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Analysis;

public sealed class SparseAffinitiesTests
{
    [Fact]
    public void Conditional_HasThePerplexityAsItsEntropy()
    {
        var random = new Random(5);
        var distances = Enumerable.Range(0, 90).Select(_ => 50 + 30 * random.NextDouble()).ToArray();
        var p = new double[90];

        SparseAffinities.Conditional(distances, 30, p);

        Assert.Equal(1, p.Sum(), 1e-12);
        var entropy = -p.Where(v => v > 0).Sum(v => v * Math.Log(v));
        Assert.Equal(30, Math.Exp(entropy), 1e-9);
        // Closer neighbours get more weight.
        var order = Enumerable.Range(0, 90).OrderBy(j => distances[j]).ToArray();
        Assert.True(p[order[0]] > p[order[45]] && p[order[45]] > p[order[89]]);
    }

    [Fact]
    public void NearestNeighbours_AreTheKClosestOtherPoints()
    {
        using var scope = NewDisposeScope();
        var data = randn([70, 6], dtype: float64, generator: new Generator(8));
        var values = data.data<double>().ToArray();

        var (distances, neighbours) = SparseAffinities.NearestNeighbours(data, 9);

        for (var i = 0; i < 70; i++)
        {
            double Squared(int j) => Enumerable.Range(0, 6).Sum(c => Math.Pow(values[i * 6 + c] - values[j * 6 + c], 2));
            var expected = Enumerable.Range(0, 70).Where(j => j != i).OrderBy(Squared).Take(9).Order().ToArray();
            Assert.Equal(expected, neighbours.AsSpan(i * 9, 9).ToArray());
            for (var e = 0; e < 9; e++) Assert.Equal(Squared(expected[e]), distances[i * 9 + e], 1e-12);
        }
    }

    /// <summary>With k = n − 1 every pair is a neighbour: the sparse P is the exact method's dense P.</summary>
    [Fact]
    public void Compute_WithEveryPointAsNeighbour_EqualsTheExactAffinities()
    {
        using var scope = NewDisposeScope();
        var data = randn([40, 8], dtype: float64, generator: new Generator(9));
        var perplexity = 39 / 3.0;

        var sparse = SparseAffinities.Compute(data, perplexity);
        var exact = ExactTsne.Affinities(data, perplexity);

        Assert.All(Enumerable.Range(0, 40), i => Assert.Equal(39, sparse.RowStart[i + 1] - sparse.RowStart[i]));
        var dense = Dense(sparse) + eye(40, dtype: float64) * 1e-12; // the exact method floors its diagonal at 1e-12
        Assert.True(TensorAssert.RelativeToMax(exact, dense) < 1e-10);
    }

    [Fact]
    public void Compute_IsSymmetric_SumsToOne_AndCoversEachPointsNeighbours()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(10);
        var data = cat([randn([150, 12], dtype: float64, generator: generator), randn([150, 12], dtype: float64, generator: generator) + 3], 0);

        var p = SparseAffinities.Compute(data, 10);
        var (_, neighbours) = SparseAffinities.NearestNeighbours(data, 30);

        Assert.Equal(1, p.Values.Sum(), 1e-12);
        var entries = new Dictionary<(int, int), double>();
        for (var i = 0; i < 300; i++)
        {
            var columns = p.Columns[p.RowStart[i]..p.RowStart[i + 1]];
            Assert.Equal(columns.Order(), columns); // ascending, no repeats
            Assert.Equal(columns.Length, columns.Distinct().Count());
            Assert.DoesNotContain(i, columns);
            Assert.Subset(columns.ToHashSet(), neighbours[(i * 30)..((i + 1) * 30)].ToHashSet());
            for (var e = p.RowStart[i]; e < p.RowStart[i + 1]; e++) entries[(i, p.Columns[e])] = p.Values[e];
        }
        Assert.All(entries, entry => Assert.Equal(entry.Value, entries[(entry.Key.Item2, entry.Key.Item1)]));
    }

    internal static Tensor Dense(SparseAffinities p)
    {
        var values = new double[p.N * p.N];
        for (var i = 0; i < p.N; i++)
            for (var e = p.RowStart[i]; e < p.RowStart[i + 1]; e++) values[i * p.N + p.Columns[e]] = p.Values[e];
        return tensor(values, [p.N, p.N], dtype: float64);
    }
}
