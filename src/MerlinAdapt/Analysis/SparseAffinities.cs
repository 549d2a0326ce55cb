using static TorchSharp.torch;

namespace MerlinAdapt.Analysis;

/// <summary>
/// Symmetrised t-SNE input affinities restricted to nearest neighbours (van der Maaten 2014, §4.1): each point's
/// Gaussian over its k = ⌊3 · perplexity⌋ nearest neighbours, its precision bisected to the perplexity, then
/// p_ij = (p_j|i + p_i|j) / 2n, summing to 1. Stored as compressed rows, columns ascending.
/// </summary>
internal sealed class SparseAffinities
{
    /// <summary>Bisection passes per point, as the exact method runs: enough to pin the precision to the last bit.</summary>
    private const int SearchPasses = 64;

    /// <summary>Squared-distance rows computed per matmul: about 32 MB of float64 at a time.</summary>
    private const long ChunkElements = 1 << 22;

    public int N { get; }
    public int[] RowStart { get; }
    public int[] Columns { get; }
    public double[] Values { get; }

    private SparseAffinities(int n, int[] rowStart, int[] columns, double[] values) =>
        (N, RowStart, Columns, Values) = (n, rowStart, columns, values);

    public static SparseAffinities Compute(Tensor data, double perplexity)
    {
        var n = (int)data.shape[0];
        // 3 · perplexity neighbours (van der Maaten 2014); the epsilon keeps (n − 1)/3 · 3 from rounding down to n − 2.
        var k = Math.Min(n - 1, (int)Math.Floor(3 * perplexity + 1e-9));
        var (distances, neighbours) = NearestNeighbours(data, k);
        var conditional = new double[distances.Length];
        Parallel.For(0, n, i => Conditional(distances.AsSpan(i * k, k), perplexity, conditional.AsSpan(i * k, k)));
        return Symmetrised(n, k, neighbours, conditional);
    }

    /// <summary>
    /// Exact k nearest neighbours by squared Euclidean distance (a point is not its own neighbour), each row sorted by
    /// neighbour index. Candidates come from one float64 matmul per chunk of rows; the distances returned are then
    /// recomputed pair by pair, so they do not depend on how BLAS splits the matmul across threads.
    /// </summary>
    public static (double[] Distances, int[] Neighbours) NearestNeighbours(Tensor data, int k)
    {
        using var scope = NewDisposeScope();
        var x = data.to(float64).contiguous();
        var (n, d) = ((int)x.shape[0], (int)x.shape[1]);
        var norms = x.pow(KeptScalars.Two).sum(1);
        var neighbours = new int[n * k];
        var rows = (int)Math.Max(1, ChunkElements / n);
        for (var first = 0; first < n; first += rows)
        {
            using var chunk = NewDisposeScope();
            var count = Math.Min(rows, n - first);
            var squared = norms.narrow(0, first, count).unsqueeze(1).add(norms.unsqueeze(0), KeptScalars.One)
                .add(matmul(x.narrow(0, first, count), x.t()), KeptScalars.MinusTwo).clamp_min(KeptScalars.Zero);
            var self = KeptScalars.Arange(first, first + count).unsqueeze(1);
            squared = squared.scatter(1, self, KeptScalars.Full([count, 1], double.PositiveInfinity, float64));
            var ids = squared.topk(k, dim: 1, largest: false, sorted: false).indexes.contiguous().data<long>().ToArray();
            for (var e = 0; e < ids.Length; e++) neighbours[first * k + e] = (int)ids[e];
        }
        var values = x.data<double>().ToArray();
        var distances = new double[n * k];
        Parallel.For(0, n, i =>
        {
            Array.Sort(neighbours, i * k, k);
            var row = values.AsSpan(i * d, d);
            for (var e = i * k; e < (i + 1) * k; e++)
            {
                var other = values.AsSpan(neighbours[e] * d, d);
                var sum = 0.0;
                for (var c = 0; c < d; c++)
                {
                    var diff = row[c] - other[c];
                    sum += diff * diff;
                }
                distances[e] = sum;
            }
        });
        return (distances, neighbours);
    }

    /// <summary>
    /// p_j|i ∝ exp(−β d_j) over one point's neighbours, with β bisected until the entropy (nats) is log perplexity.
    /// Distances are shifted by their minimum so the largest term is exp(0): no underflow to an all-zero row.
    /// </summary>
    public static void Conditional(ReadOnlySpan<double> squaredDistances, double perplexity, Span<double> p)
    {
        var target = Math.Log(perplexity);
        var nearest = double.PositiveInfinity;
        var mean = 0.0;
        foreach (var d in squaredDistances)
        {
            nearest = Math.Min(nearest, d);
            mean += d;
        }
        mean /= squaredDistances.Length;
        var (lo, hi, beta) = (0.0, double.PositiveInfinity, 1 / Math.Max(mean, 1e-12));
        for (var pass = 0; pass < SearchPasses; pass++)
        {
            var sum = 0.0;
            for (var j = 0; j < p.Length; j++)
            {
                p[j] = Math.Exp(-beta * (squaredDistances[j] - nearest));
                sum += p[j];
            }
            var weighted = 0.0;
            for (var j = 0; j < p.Length; j++)
            {
                p[j] /= sum;
                weighted += p[j] * (squaredDistances[j] - nearest);
            }
            // H = −Σ p log p = log Σ e + β Σ p (d − d_min), with e the shifted exponentials.
            var entropy = Math.Log(sum) + beta * weighted;
            if (entropy > target) lo = beta; // too flat → sharpen: larger β
            else hi = beta;
            beta = double.IsPositiveInfinity(hi) ? beta * 2 : (lo + hi) / 2;
        }
    }

    /// <summary>(p_j|i + p_i|j) / 2n on the union of both neighbour lists, rows sorted by column.</summary>
    private static SparseAffinities Symmetrised(int n, int k, int[] neighbours, double[] conditional)
    {
        var rowStart = new int[n + 1];
        foreach (var j in neighbours) rowStart[j + 1]++;
        for (var i = 0; i < n; i++) rowStart[i + 1] += k + rowStart[i];
        var fill = rowStart[..n];
        var columns = new int[rowStart[n]];
        var values = new double[rowStart[n]];
        for (var i = 0; i < n; i++)
            for (var e = i * k; e < (i + 1) * k; e++)
            {
                var j = neighbours[e];
                (columns[fill[i]], values[fill[i]++]) = (j, conditional[e]);
                (columns[fill[j]], values[fill[j]++]) = (i, conditional[e]);
            }

        // Sort each row by column and add the pairs found from both ends (at most two per pair: a + b is order-free).
        var mergedStart = new int[n + 1];
        var write = 0;
        for (var i = 0; i < n; i++)
        {
            Array.Sort(columns, values, rowStart[i], rowStart[i + 1] - rowStart[i]);
            mergedStart[i] = write;
            for (var e = rowStart[i]; e < rowStart[i + 1]; e++)
            {
                if (write > mergedStart[i] && columns[write - 1] == columns[e]) values[write - 1] += values[e];
                else (columns[write], values[write++]) = (columns[e], values[e]);
            }
        }
        mergedStart[n] = write;
        var scale = 1.0 / (2.0 * n);
        var mergedValues = new double[write];
        for (var e = 0; e < write; e++) mergedValues[e] = values[e] * scale;
        return new SparseAffinities(n, mergedStart, columns[..write], mergedValues);
    }
}
