using MerlinAdapt.Analysis;

namespace MerlinAdapt.Tests.Analysis;

public sealed class QuadTreeTests
{
    [Fact]
    public void Build_FourCornerPoints_GivesFourLeavesUnderACentredRoot()
    {
        var tree = new QuadTree();
        tree.Build([-1, -1, 1, -1, -1, 1, 1, 1]);

        Assert.Equal(5, tree.NodeCount);
        Assert.Equal(4, tree.Count(0));
        Assert.Equal((0.0, 0.0), tree.CentreOfMass(0));
        var first = tree.FirstChild(0);
        (double, double)[] corners = [(-1, -1), (1, -1), (-1, 1), (1, 1)]; // south-west, south-east, north-west, north-east
        for (var c = 0; c < 4; c++)
        {
            Assert.Equal(1, tree.Count(first + c));
            Assert.Equal(corners[c], tree.CentreOfMass(first + c));
            Assert.Equal(-1, tree.FirstChild(first + c));
        }
    }

    /// <summary>Every cell's count and centre of mass are those of the points inside it; leaves hold one position.</summary>
    [Fact]
    public void Build_SummarisesEveryCell_WithTheCountAndMeanOfItsPoints()
    {
        var random = new Random(7);
        var positions = new double[2 * 300];
        for (var i = 0; i < positions.Length; i++) positions[i] = random.NextDouble() * 20 - 10 + (i % 2 == 0 ? 0 : 3 * Math.Sin(i));
        var tree = new QuadTree();
        tree.Build(positions);

        var leaves = Check(tree, 0, Enumerable.Range(0, 300).ToList(), positions);
        Assert.Equal(300, leaves);
    }

    [Fact]
    public void Build_KeepsCoincidentPointsInOneLeaf()
    {
        var tree = new QuadTree();
        tree.Build([0.25, 0.5, 3, 3, 0.25, 0.5, 0.25, 0.5]);

        Assert.Equal(5, tree.NodeCount);
        var leaf = tree.FirstChild(0); // south-west
        Assert.Equal(3, tree.Count(leaf));
        Assert.Equal(-1, tree.FirstChild(leaf));
        Assert.Equal((0.25, 0.5), tree.CentreOfMass(leaf));
    }

    [Fact]
    public void Repulsion_AtThetaZero_EqualsTheSumOverEveryPoint()
    {
        var positions = RandomLayout(200, seed: 3);
        var tree = new QuadTree();
        tree.Build(positions);

        for (var i = 0; i < 200; i += 17)
        {
            var (x, y) = (positions[2 * i], positions[2 * i + 1]);
            var z = tree.Repulsion(x, y, 0, out var fx, out var fy);
            var (ez, efx, efy) = BruteForce(positions, x, y);
            Assert.Equal(ez, z, ez * 1e-13);
            Assert.Equal(efx, fx, Math.Abs(efx) * 1e-12 + 1e-15);
            Assert.Equal(efy, fy, Math.Abs(efy) * 1e-12 + 1e-15);
        }
    }

    /// <summary>θ = 0.5 (van der Maaten 2014's default) keeps z within 2 % and the force within 5 % of the exact sums.</summary>
    [Fact]
    public void Repulsion_AtThetaHalf_ApproximatesTheSum()
    {
        var positions = RandomLayout(1000, seed: 4);
        var tree = new QuadTree();
        tree.Build(positions);

        for (var i = 0; i < 1000; i += 37)
        {
            var (x, y) = (positions[2 * i], positions[2 * i + 1]);
            var z = tree.Repulsion(x, y, 0.5, out var fx, out var fy);
            var (ez, efx, efy) = BruteForce(positions, x, y);
            Assert.True(Math.Abs(z - ez) < 0.02 * ez, $"point {i}: z {z} vs {ez}");
            var error = Math.Sqrt((fx - efx) * (fx - efx) + (fy - efy) * (fy - efy));
            Assert.True(error < 0.05 * Math.Sqrt(efx * efx + efy * efy), $"point {i}: force off by {error}");
        }
    }

    /// <summary>Checks a subtree against the points that fall inside it; returns its number of leaves holding points.</summary>
    private static int Check(QuadTree tree, int node, List<int> points, double[] positions)
    {
        Assert.Equal(points.Count, tree.Count(node));
        if (points.Count == 0) return 0;
        var (cx, cy, half) = tree.Cell(node);
        Assert.All(points, i => Assert.True(Math.Abs(positions[2 * i] - cx) <= half && Math.Abs(positions[2 * i + 1] - cy) <= half));
        var (mx, my) = tree.CentreOfMass(node);
        Assert.Equal(points.Average(i => positions[2 * i]), mx, 1e-12);
        Assert.Equal(points.Average(i => positions[2 * i + 1]), my, 1e-12);
        var first = tree.FirstChild(node);
        if (first < 0)
        {
            Assert.Single(points.Select(i => (positions[2 * i], positions[2 * i + 1])).Distinct());
            return 1;
        }
        var leaves = 0;
        for (var c = 0; c < 4; c++)
        {
            var inside = points.Where(i => (positions[2 * i] >= cx ? 1 : 0) + (positions[2 * i + 1] >= cy ? 2 : 0) == c).ToList();
            leaves += Check(tree, first + c, inside, positions);
        }
        return leaves;
    }

    private static double[] RandomLayout(int n, int seed)
    {
        var random = new Random(seed);
        var positions = new double[2 * n];
        // Three clumps of different spread, as a t-SNE layout has.
        for (var i = 0; i < n; i++)
        {
            var (ox, oy, spread) = (i % 3) switch { 0 => (0.0, 0.0, 1.0), 1 => (15.0, 5.0, 3.0), _ => (-8.0, 12.0, 0.5) };
            positions[2 * i] = ox + spread * Gaussian(random);
            positions[2 * i + 1] = oy + spread * Gaussian(random);
        }
        return positions;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static (double Z, double Fx, double Fy) BruteForce(double[] positions, double x, double y)
    {
        var (z, fx, fy) = (0.0, 0.0, 0.0);
        for (var j = 0; j < positions.Length / 2; j++)
        {
            var (dx, dy) = (x - positions[2 * j], y - positions[2 * j + 1]);
            var w = 1 / (1 + dx * dx + dy * dy);
            z += w;
            fx += w * w * dx;
            fy += w * w * dy;
        }
        return (z, fx, fy);
    }
}
