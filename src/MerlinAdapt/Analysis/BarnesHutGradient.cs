namespace MerlinAdapt.Analysis;

/// <summary>
/// The t-SNE gradient split as in van der Maaten (2014), eq. 5: ∂C/∂y_i = 4 (F_attr − F_rep / Z) with
/// F_attr = exaggeration · Σ_j p_ij w_ij (y_i − y_j) over the sparse P, and F_rep = Σ_j w_ij² (y_i − y_j),
/// Z = Σ_{k≠l} w_kl from a quadtree, w = (1 + distance²)⁻¹. Each point's sums are computed alone and Z is added up in
/// point order, so the result does not depend on how Parallel.For schedules the points.
/// </summary>
internal sealed class BarnesHutGradient(SparseAffinities p)
{
    private readonly QuadTree _tree = new();
    private readonly double[] _attraction = new double[2 * p.N];
    private readonly double[] _repulsion = new double[2 * p.N];
    private readonly double[] _z = new double[p.N];

    /// <param name="y">Positions x₀, y₀, x₁, y₁, …</param>
    /// <param name="gradient">Receives ∂C/∂y in the same layout.</param>
    public void Compute(double[] y, double exaggeration, double theta, double[] gradient)
    {
        var n = p.N;
        _tree.Build(y);
        Parallel.For(0, n, i =>
        {
            var (xi, yi) = (y[2 * i], y[2 * i + 1]);
            _z[i] = _tree.Repulsion(xi, yi, theta, out _repulsion[2 * i], out _repulsion[2 * i + 1]);
            var (ax, ay) = (0.0, 0.0);
            for (var e = p.RowStart[i]; e < p.RowStart[i + 1]; e++)
            {
                var j = p.Columns[e];
                var dx = xi - y[2 * j];
                var dy = yi - y[2 * j + 1];
                var pw = p.Values[e] / (1 + dx * dx + dy * dy);
                ax += pw * dx;
                ay += pw * dy;
            }
            (_attraction[2 * i], _attraction[2 * i + 1]) = (ax, ay);
        });
        // Each point's sum counted the point itself once (w = 1): Z is over pairs k ≠ l.
        var z = 0.0;
        for (var i = 0; i < n; i++) z += _z[i];
        z -= n;
        for (var c = 0; c < 2 * n; c++) gradient[c] = 4 * (exaggeration * _attraction[c] - _repulsion[c] / z);
    }
}
