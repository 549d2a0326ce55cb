namespace MerlinAdapt.Analysis;

/// <summary>
/// A point-region quadtree over 2-D positions, each cell summarised by its point count and centre of mass, for the
/// Barnes–Hut repulsive forces of t-SNE (van der Maaten 2014, §4.2). Rebuilt every iteration into reused flat arrays;
/// node 0 is the root and the four children of a node are consecutive. Points closer than the root width / 2⁴⁸ share
/// a leaf (no endless splitting of duplicates). Build is sequential; queries are read-only and safe in parallel.
/// </summary>
internal sealed class QuadTree
{
    private const int MaxDepth = 48;
    private const int NoChild = -1;

    private double[] _centreX = [], _centreY = [], _halfWidth = [], _massX = [], _massY = [];
    // The position a leaf holds (the first point inserted into it): compared exactly to spot coincident points.
    private double[] _pointX = [], _pointY = [];
    private int[] _count = [], _firstChild = [], _depth = [];

    public int NodeCount { get; private set; }

    /// <summary>Builds the tree over positions laid out x₀, y₀, x₁, y₁, …</summary>
    public void Build(ReadOnlySpan<double> positions)
    {
        var n = positions.Length / 2;
        if (n == 0) throw new ArgumentException("a quadtree needs at least one point");
        var (minX, maxX, minY, maxY) = (double.PositiveInfinity, double.NegativeInfinity, double.PositiveInfinity, double.NegativeInfinity);
        for (var i = 0; i < n; i++)
        {
            (minX, maxX) = (Math.Min(minX, positions[2 * i]), Math.Max(maxX, positions[2 * i]));
            (minY, maxY) = (Math.Min(minY, positions[2 * i + 1]), Math.Max(maxY, positions[2 * i + 1]));
        }
        NodeCount = 0;
        EnsureCapacity(Math.Max(4 * n, 64));
        // A square root cell, a little wider than the points so none sits on its outer edge.
        var half = Math.Max(Math.Max(maxX - minX, maxY - minY) / 2 * (1 + 1e-9), 1e-12);
        AddNode((minX + maxX) / 2, (minY + maxY) / 2, half, 0);
        for (var i = 0; i < n; i++) Insert(positions[2 * i], positions[2 * i + 1]);
        for (var node = 0; node < NodeCount; node++)
        {
            _massX[node] /= _count[node];
            _massY[node] /= _count[node];
        }
    }

    public int Count(int node) => _count[node];
    public (double X, double Y) CentreOfMass(int node) => (_massX[node], _massY[node]);
    public (double X, double Y, double HalfWidth) Cell(int node) => (_centreX[node], _centreY[node], _halfWidth[node]);

    /// <summary>The first of a node's four consecutive children (south-west, south-east, north-west, north-east), or −1 for a leaf.</summary>
    public int FirstChild(int node) => _firstChild[node];

    /// <summary>
    /// The repulsion on a point at (x, y): force = Σ_j w_j² (y − y_j) and z = Σ_j w_j with w_j = (1 + |y − y_j|²)⁻¹, summed
    /// over every point in the tree — the point itself included (w = 1, no force). A cell whose width is under θ times its
    /// distance from the point counts as all its points at its centre of mass; θ = 0 sums every point exactly.
    /// </summary>
    public double Repulsion(double x, double y, double theta, out double forceX, out double forceY)
    {
        Span<int> stack = stackalloc int[3 * MaxDepth + 8];
        var top = 0;
        stack[top++] = 0;
        var (z, fx, fy) = (0.0, 0.0, 0.0);
        var thetaSquared = theta * theta;
        while (top > 0)
        {
            var node = stack[--top];
            if (_count[node] == 0) continue;
            var dx = x - _massX[node];
            var dy = y - _massY[node];
            var squared = dx * dx + dy * dy;
            var width = 2 * _halfWidth[node];
            if (_firstChild[node] == NoChild || width * width < thetaSquared * squared)
            {
                var w = 1 / (1 + squared);
                var mass = _count[node] * w;
                z += mass;
                fx += mass * w * dx;
                fy += mass * w * dy;
                continue;
            }
            var child = _firstChild[node];
            for (var c = 0; c < 4; c++) stack[top++] = child + c;
        }
        (forceX, forceY) = (fx, fy);
        return z;
    }

    private void Insert(double x, double y)
    {
        var node = 0;
        while (true)
        {
            var (before, sumX, sumY) = (_count[node], _massX[node], _massY[node]);
            _count[node]++;
            _massX[node] += x;
            _massY[node] += y;
            if (_firstChild[node] != NoChild)
            {
                node = _firstChild[node] + Quadrant(node, x, y);
                continue;
            }
            if (before == 0)
            {
                (_pointX[node], _pointY[node]) = (x, y);
                return;
            }
            // A leaf holds one position (possibly several coincident points): split it unless the new point coincides.
            var (oldX, oldY) = (_pointX[node], _pointY[node]);
            if ((oldX == x && oldY == y) || _depth[node] >= MaxDepth) return;
            Split(node);
            var home = _firstChild[node] + Quadrant(node, oldX, oldY);
            (_count[home], _massX[home], _massY[home], _pointX[home], _pointY[home]) = (before, sumX, sumY, oldX, oldY);
            node = _firstChild[node] + Quadrant(node, x, y);
        }
    }

    private int Quadrant(int node, double x, double y) => (x >= _centreX[node] ? 1 : 0) + (y >= _centreY[node] ? 2 : 0);

    private void Split(int node)
    {
        EnsureCapacity(NodeCount + 4);
        var half = _halfWidth[node] / 2;
        _firstChild[node] = NodeCount;
        for (var c = 0; c < 4; c++)
            AddNode(_centreX[node] + ((c & 1) == 1 ? half : -half), _centreY[node] + ((c & 2) == 2 ? half : -half), half, _depth[node] + 1);
    }

    private void AddNode(double centreX, double centreY, double halfWidth, int depth)
    {
        var node = NodeCount++;
        (_centreX[node], _centreY[node], _halfWidth[node], _depth[node]) = (centreX, centreY, halfWidth, depth);
        (_massX[node], _massY[node], _count[node], _firstChild[node]) = (0, 0, 0, NoChild);
    }

    private void EnsureCapacity(int nodes)
    {
        if (nodes <= _count.Length) return;
        var size = Math.Max(nodes, 2 * _count.Length);
        Array.Resize(ref _centreX, size);
        Array.Resize(ref _centreY, size);
        Array.Resize(ref _halfWidth, size);
        Array.Resize(ref _massX, size);
        Array.Resize(ref _massY, size);
        Array.Resize(ref _pointX, size);
        Array.Resize(ref _pointY, size);
        Array.Resize(ref _count, size);
        Array.Resize(ref _firstChild, size);
        Array.Resize(ref _depth, size);
    }
}
